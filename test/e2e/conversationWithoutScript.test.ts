// With JavaScript off, the conversation's forms still work: react (one tap toggles), reply (the
// Reply link opens the form with the quote), remove one's own message, mute, and "Load older
// messages" as a plain link. Ann uses the pages; bob is a client of the JSON API.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { openPerson, register, sendThroughApi, sendWithoutScript, sessionToken, shownMessages } from "./chatInBrowser.ts";

async function api(server: TestServer, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const reactionTexts = (page: Page, messageId: string) =>
  page.locator(`#${messageId} .reaction`).evaluateAll((buttons) => buttons.map((b) => `${b.textContent?.replace(/\s+/g, " ").trim()}${b.getAttribute("aria-pressed") === "true" ? " (mine)" : ""}`));

describe.skipIf(browserTestsSkipped)("browser: the conversation's forms with JavaScript off", () => {
  let server: TestServer;
  let annBrowser: BrowserPerson;
  let ann: Page;
  let giveawayId: string;
  let bobToken: string;
  beforeAll(async () => {
    server = await startTestServer();
    annBrowser = await openPerson({ javaScriptEnabled: false });
    ann = await register(annBrowser, server.url, "ann");
    const annToken = await sessionToken(annBrowser);
    await api(server, "POST", "/users", undefined, { username: "bob", password: "correct horse battery" });
    bobToken = (await api(server, "POST", "/tokens", undefined, { username: "bob", password: "correct horse battery" })).token;
    giveawayId = (await api(server, "POST", "/giveaways", annToken, { title: "A lamp", description: "Brass." })).id;
    await api(server, "POST", `/giveaways/${giveawayId}/entries`, bobToken);
    await api(server, "POST", `/giveaways/${giveawayId}/draw`, annToken);
  }, 60_000);
  afterAll(async () => {
    await annBrowser?.close();
    await server?.close();
  });

  it("reacts and takes it back, replies with a quote, removes her own message, mutes", async () => {
    await sendThroughApi(server.url, bobToken, giveawayId, "Can I come at 6?");
    await ann.goto(`${server.url}/messages/${giveawayId}`);
    expect(await ann.evaluate("typeof window.htmx")).toBe("undefined");
    const [question] = await shownMessages(ann);

    // One tap on an emoji: a POST and a 303 back to the message, which now shows it as hers.
    await ann.hover(`#${question!.id} .bubble`); // a message's tools show on hover (or focus)
    await ann.locator(`#${question!.id} .react-more > summary`).click();
    await Promise.all([ann.waitForURL(new RegExp(`#${question!.id}$`)), ann.locator(`#${question!.id} .palette-emoji[value="❤️"]`).click()]);
    expect(await reactionTexts(ann, question!.id)).toEqual(["❤️ 1 (mine)"]);
    const listed = await api(server, "GET", `/giveaways/${giveawayId}/messages`, bobToken);
    expect(listed.messages[0].reactions).toEqual({ "❤️": [expect.any(String)] });
    await Promise.all([ann.waitForURL(new RegExp(`#${question!.id}$`)), ann.locator(`#${question!.id} .reaction[value="❤️"]`).click()]);
    expect(await reactionTexts(ann, question!.id)).toEqual([]);

    // Reply: the link opens the chat with the quote in the form; the sent message carries it.
    await ann.hover(`#${question!.id} .bubble`);
    await ann.locator(`#${question!.id} .reply-link`).click();
    expect(await ann.locator("#reply-bar").innerText()).toContain("Can I come at 6?");
    await sendWithoutScript(ann, "6 is fine");
    const reply = (await shownMessages(ann)).at(-1)!;
    expect(await ann.locator(`#${reply.id} .reply-quote`).innerText()).toContain("Can I come at 6?");
    expect((await api(server, "GET", `/giveaways/${giveawayId}/messages`, bobToken)).messages.at(-1).replyTo).toBe(listed.messages[0].id);

    // Remove her own message: a form, and it reads "message removed".
    await sendWithoutScript(ann, "Oops, wrong chat");
    const slip = (await shownMessages(ann)).at(-1)!;
    await Promise.all([ann.waitForURL(/\/retract\?messageId=/), ann.hover(`#${slip.id} .bubble`).then(() => ann.locator(`#${slip.id} .retract-button`).click())]);
    await Promise.all([ann.waitForURL(/#latest$/), ann.click("#confirm-retract")]); // the confirmation page's form removes it
    expect(await ann.locator(`#${slip.id}.removed .bubble`).innerText()).toBe("message removed");
    expect(await ann.locator(`#${question!.id} .retract-button`).count()).toBe(0); // not hers

    // Mute, then unmute.
    await ann.click("#mute-button");
    await ann.locator("#mute-button", { hasText: "Unmute" }).waitFor();
    expect((await api(server, "GET", "/inbox", await sessionToken(annBrowser))).conversations[0].muted).toBe(true);
    await ann.click("#mute-button");
    await ann.locator("#mute-button", { hasText: "Mute" }).waitFor();
  }, 60_000);

  it("follows 'Load older messages' as a link back to the first message", async () => {
    for (let i = 1; i <= 200; i++) await sendThroughApi(server.url, bobToken, giveawayId, `Filler ${i}`);
    await ann.goto(`${server.url}/messages/${giveawayId}`);
    expect((await shownMessages(ann)).some((m) => m.text === "Can I come at 6?")).toBe(false);
    await ann.click("#load-older");
    await ann.waitForURL(/\?before=\d+$/);
    const older = await shownMessages(ann);
    expect(older[0]!.text).toBe("Can I come at 6?");
    expect(await ann.locator("#load-older").count()).toBe(0);
  }, 60_000);
});

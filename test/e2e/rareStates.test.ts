// Every state says what it is (issue 27), in Chromium: a former winner reads with no message box, a
// cancelled giveaway gives its reason in a neutral voice and no box, the giver's thread shows the new
// round at once, offline and presence are two readable states, and the browser's notification
// permission is asked only from "Turn on notifications".
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { signUp } from "../http/apiFixtures.ts";
import { callApi, openPerson, register, sendInChat, sessionToken, shownMessages, waitConnected, waitForTexts } from "./chatInBrowser.ts";

/** Counts calls to Notification.requestPermission (answered "denied": no prompt, nothing follows). */
const countPermissionRequests = () => {
  const counted = window as unknown as { __permissionAsked: number };
  counted.__permissionAsked = 0;
  if (!("Notification" in window)) return;
  Notification.requestPermission = () => {
    counted.__permissionAsked += 1;
    return Promise.resolve("denied");
  };
};

/** What the composer offers on a page: none of it where one cannot send. */
const composerParts = (page: Page) =>
  page.evaluate(() => ["#message-form", "#message-content", "#attach-input", "#record-button", "#send-button"].filter((selector) => document.querySelector(selector) !== null));

describe.skipIf(browserTestsSkipped)("browser: every state says what it is", () => {
  let server: TestServer;
  let annPerson: BrowserPerson;
  let bobPerson: BrowserPerson;
  let ann: Page;
  let bob: Page;
  let annToken: string;
  let bobToken: string;

  beforeAll(async () => {
    // The draw (and a redraw) picks the first entrant left.
    server = await startTestServer({ overrides: { pick: () => 0 } });
    [annPerson, bobPerson] = await Promise.all([openPerson(), openPerson()]);
    await bobPerson.context.addInitScript(countPermissionRequests);
    [ann, bob] = await Promise.all([register(annPerson, server.url, "ann"), register(bobPerson, server.url, "bob")]);
    [annToken, bobToken] = await Promise.all([sessionToken(annPerson), sessionToken(bobPerson)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([annPerson?.close(), bobPerson?.close()]);
    await server?.close();
  });

  /** Ann gives, Bob enters first (then anyone in `others`), Ann draws Bob; both open the chat. */
  async function drawnToBob(title: string, others: { auth: { Authorization: string } }[] = []): Promise<string> {
    const giveawayId = (await callApi(server.url, annToken, "POST", "/api/giveaways", { title })).id as string;
    await callApi(server.url, bobToken, "POST", `/api/giveaways/${giveawayId}/entries`);
    for (const other of others) await callApi(server.url, other.auth.Authorization.slice(7), "POST", `/api/giveaways/${giveawayId}/entries`);
    await callApi(server.url, annToken, "POST", `/api/giveaways/${giveawayId}/draw`);
    await Promise.all([ann.goto(`${server.url}/messages/${giveawayId}`), bob.goto(`${server.url}/messages/${giveawayId}`)]);
    await Promise.all([waitConnected(ann), waitConnected(bob)]);
    return giveawayId;
  }

  it("asks for the notification permission only when Turn on notifications is pressed", async (context) => {
    await drawnToBob("A radio");
    await sendInChat(ann, "Hi Bob, the radio is yours.");
    await waitForTexts(bob, "bob", ["Hi Bob, the radio is yours."]);
    if ((await bob.evaluate("Notification.permission")) !== "default") context.skip("this Chromium answers notifications before any prompt");
    for (const selector of ["#message-content", "#messages .message .bubble", ".chat-with", "#message-scroller", "#pickup-status"]) {
      await bob.locator(selector).first().click();
    }
    await bob.keyboard.type("typing is not a yes");
    expect(await bob.evaluate("window.__permissionAsked")).toBe(0);
    await bob.locator("#enable-notifications").click();
    await expect.poll(() => bob.evaluate("window.__permissionAsked")).toBe(1);
  });

  it("a former winner reads with no composer, and the giver sees the new round at once", async () => {
    const cat = await signUp(server, "cat");
    const giveawayId = await drawnToBob("A lamp", [cat]);
    await sendInChat(ann, "Hi Bob, are you there?");
    await sendInChat(bob, "Sorry, I can't pick it up.");
    expect(await bob.locator("#messages .message.mine .retract-form").count()).toBe(1); // his own, while he may still write

    // Bob declines and Ann redraws (through the API): Bob's open page turns read-only by itself.
    await callApi(server.url, bobToken, "POST", `/api/giveaways/${giveawayId}/decline`);
    await callApi(server.url, annToken, "POST", `/api/giveaways/${giveawayId}/redraw`, { replacing: (await callApi(server.url, bobToken, "GET", "/api/me")).id });
    await bob.locator("#composer-closed").waitFor();
    expect(await bob.locator("#former-winner-note").innerText()).toBe("The giver chose another winner.");
    expect(await bob.locator("#composer-closed").innerText()).toContain("no longer send messages");
    expect(await composerParts(bob)).toEqual([]);
    expect((await shownMessages(bob)).map((m) => m.text)).toEqual(["Hi Bob, are you there?", "Sorry, I can't pick it up."]);
    // Nothing offers what would be refused: no Edit or Remove on his own message, no Reply, no new reaction.
    for (const tool of [".edit-button", ".retract-form", ".reply-link", ".react-more"]) expect(await bob.locator(`#messages ${tool}`).count(), tool).toBe(0);

    // The inbox and the giveaway page say the same.
    await bob.goto(`${server.url}/inbox`);
    const row = bob.locator(`.inbox-item[data-giveaway-id="${giveawayId}"]`);
    expect(await row.locator(".inbox-status").innerText()).toBe("Another winner chosen");
    await bob.goto(`${server.url}/giveaways/${giveawayId}`);
    expect(await bob.locator("#giveaway-status").innerText()).toBe("Another winner chosen");
    expect(await bob.locator("#giveaway-state-note").innerText()).toContain("The giver chose another winner.");

    // Ann, before anyone writes to Cat: the header names Cat, and a divider starts her round.
    await ann.goto(`${server.url}/messages/${giveawayId}`);
    await waitConnected(ann);
    expect(await ann.locator(".chat-with").innerText()).toContain(cat.username);
    expect(await ann.locator("#messages > .round-header").allInnerTexts()).toEqual(["Conversation with bob", `Now talking with ${cat.username}`]);
    expect(await ann.locator("#messages > :last-child").getAttribute("class")).toContain("round-header");
    await ann.goto(`${server.url}/inbox`);
    expect(await ann.locator(`.inbox-item[data-giveaway-id="${giveawayId}"] .inbox-preview`).innerText()).toBe(`Now talking with ${cat.username}: say hello!`);
  });

  it("a cancelled giveaway gives its reason in a neutral voice, with no composer and no 'say hello'", async () => {
    const giveawayId = await drawnToBob("A chair");
    await callApi(server.url, annToken, "POST", `/api/giveaways/${giveawayId}/cancel`, { reason: "It broke" });
    await bob.locator("#composer-closed").waitFor();
    const note = bob.locator("#cancelled-note");
    expect(await note.innerText()).toBe("This giveaway was cancelled. Reason: “It broke”");
    // Neutral, not the green of a success.
    expect(await note.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe("rgb(238, 240, 242)");
    expect(await composerParts(bob)).toEqual([]);
    expect(await bob.locator(".empty-hint").innerText()).toBe("No messages in this conversation.");
    expect(await bob.locator("#pickup-status").innerText()).toBe("Cancelled");

    await bob.goto(`${server.url}/inbox`);
    const row = bob.locator(`.inbox-item[data-giveaway-id="${giveawayId}"]`);
    expect(await row.locator(".inbox-preview").innerText()).toBe("No messages.");
    expect(await row.locator(".inbox-status").innerText()).toBe("Cancelled");
    await bob.goto(`${server.url}/giveaways/${giveawayId}`);
    expect(await bob.locator("#giveaway-state-note").innerText()).toBe("This giveaway was cancelled. Reason: “It broke”");
    // The page's script told the server Bob's zone, for the pages drawn without it.
    expect((await bobPerson.context.cookies()).find((cookie) => cookie.name === "tz")?.value).toBeTruthy();
  });

  it("offline and presence are separate, readable states", async () => {
    await drawnToBob("A kettle");
    await ann.locator('#presence[data-online="true"]').waitFor();
    expect(await ann.locator("#presence").innerText()).toBe("bob · online");
    expect(await ann.locator("#connection-status").innerText()).toBe("Connected");

    await annPerson.context.setOffline(true);
    await ann.locator('#connection-status[data-state="connecting"]').waitFor();
    expect(await ann.locator("#connection-status").innerText()).toBe("Reconnecting…");
    // What Bob is, nobody knows while Ann is cut off: only his name stays, with no claim.
    expect(await ann.locator("#presence").getAttribute("data-online")).toBe("unknown");
    expect(await ann.locator("#presence").innerText()).toBe("bob");
    expect(await ann.locator(".chat-header").innerText()).not.toMatch(/offlinebob|waiting for the connection/);

    await annPerson.context.setOffline(false);
    await waitConnected(ann);
    await ann.locator('#presence[data-online="true"]').waitFor();
    expect(await ann.locator("#presence").innerText()).toBe("bob · online");
  });
});

// Two platform users in Chromium, third-party cookies blocked: Ann opens the chat through an /sso
// link, Bob inside an <iframe> on the platform's own page (another site, listed in EMBED_ORIGINS).
// They chat both ways live, and the platform's page hears Bob's unread count from the frame.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startFakePlatform, type FakePlatform } from "../support/fakePlatform.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { openPerson, watchConsoleErrors } from "./chatInBrowser.ts";

/** Chromium's switch for "third-party cookies blocked" (this build blocks them in frames anyway; the test checks it does). */
const thirdPartyCookiesBlocked = "--test-third-party-cookie-phaseout";

/** The platform's page: on `localhost` (another site than handoff's 127.0.0.1), framing the chat and keeping every message it hears. */
interface PlatformPage {
  origin: string;
  frame(src: string): void;
  close(): Promise<void>;
}

async function startPlatformPage(): Promise<PlatformPage> {
  let src = "about:blank";
  const server = http.createServer((_req, res) => {
    const page = `<!doctype html><title>The platform</title>
<script>window.received = []; addEventListener("message", (event) => window.received.push({ origin: event.origin, data: event.data }));</script>
<iframe id="platform-chat" src="${src.replaceAll('"', "&quot;")}" width="800" height="640"></iframe>`;
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    frame: (url) => void (src = url),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a chat (page or frame) shows and does. */
const shownTexts = (chat: Frame) => chat.locator("#messages .message .bubble").allTextContents();

async function waitConnected(chat: Frame): Promise<void> {
  await chat.locator('#connection-status[data-state="connected"]').waitFor();
  await chat.locator('#message-form[data-state="ready"]').waitFor({ state: "attached" });
}

async function send(chat: Frame, text: string): Promise<void> {
  await chat.fill("#message-content", text);
  await chat.click("#send-button");
  await expect.poll(() => chat.locator("#messages .message.mine .bubble", { hasText: text }).count()).toBe(1);
}

const unreadPosts = (page: Page) => page.evaluate(() => (window as unknown as { received: { origin: string; data: unknown }[] }).received);

describe.skipIf(browserTestsSkipped)("browser: the platform's users chat through /sso and its embedded frame", () => {
  let platform: FakePlatform;
  let platformPage: PlatformPage;
  let server: TestServer;
  let ann: BrowserPerson;
  let bob: BrowserPerson;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    [platform, platformPage] = await Promise.all([startFakePlatform(), startPlatformPage()]);
    server = await startTestServer({ env: { ...platform.env, EMBED_ORIGINS: platformPage.origin } });
    [ann, bob] = await Promise.all([openPerson({ args: [thirdPartyCookiesBlocked] }), openPerson({ args: [thirdPartyCookiesBlocked] })]);
    watchConsoleErrors(ann, consoleErrors);
    watchConsoleErrors(bob, consoleErrors);
  });
  afterAll(async () => {
    await Promise.all([ann?.close(), bob?.close()]);
    await server?.close();
    await Promise.all([platform?.close(), platformPage?.close()]);
  });

  /** Through the API with the platform's tokens as Bearer, as its backend might. */
  async function api(sub: string, method: string, path: string, body?: object): Promise<{ id?: string }> {
    const token = await platform.sign({ sub, name: sub === "plat-ann" ? "Ann" : "Bob" });
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body && { "Content-Type": "application/json" }) },
      ...(body && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id?: string };
  }

  async function drawnGiveaway(title: string): Promise<string> {
    const { id } = await api("plat-ann", "POST", "/giveaways", { title });
    await api("plat-bob", "POST", `/giveaways/${id}/entries`);
    await api("plat-ann", "POST", `/giveaways/${id}/draw`);
    return id!;
  }

  it("chats both ways live, one side framed by the platform's page, which receives the unread count", async () => {
    const lamp = await drawnGiveaway("A desk lamp");
    // Another conversation with a message Bob has not read: his unread count is 1 before he opens anything.
    const chair = await drawnGiveaway("A chair");
    await api("plat-ann", "POST", `/giveaways/${chair}/messages`, { content: "Still want the chair?" });
    await expect.poll(async () => ((await api("plat-bob", "GET", "/inbox")) as { unreadTotal?: number }).unreadTotal).toBe(1);

    // Ann: the platform's /sso link, straight into the chat.
    const annPage = await ann.context.newPage();
    await annPage.goto(`${server.url}/sso?token=${await platform.sign({ sub: "plat-ann", name: "Ann" })}&next=/messages/${lamp}`);
    expect(annPage.url()).toBe(`${server.url}/messages/${lamp}`);
    const annChat = annPage.mainFrame();
    await waitConnected(annChat);

    // Bob: the platform's page frames the embed with a one-time token.
    platformPage.frame(`${server.url}/embed/giveaways/${lamp}/chat?token=${await platform.sign({ sub: "plat-bob", name: "Bob" })}`);
    const bobPage = await bob.context.newPage();
    await bobPage.goto(`${platformPage.origin}/`);
    const bobChat = (await bobPage.locator("#platform-chat").elementHandle())!.contentFrame() as Promise<Frame>;
    const frame = await bobChat;
    await expect.poll(() => frame.url()).toBe(`${server.url}/embed/giveaways/${lamp}/chat`); // the token is gone from the URL
    await waitConnected(frame);
    expect(await frame.locator("#inbox-link").count()).toBe(0); // no handoff navigation inside the platform's page

    // Third-party cookies really are blocked here: only the partitioned session cookie keeps Bob signed in.
    const unpartitionedKept = await frame.evaluate(() => {
      document.cookie = "probe=1; SameSite=None; Secure; Path=/";
      return document.cookie.includes("probe=1");
    });
    expect(unpartitionedKept).toBe(false);
    const cookies = await bob.context.cookies();
    expect(cookies.map((cookie) => cookie.name)).toContain("handoff_embed_session");
    expect(cookies.map((cookie) => cookie.name)).not.toContain("handoff_session");

    // The platform's page hears the count at load, from handoff's origin only.
    await expect.poll(async () => (await unreadPosts(bobPage)).map((post) => post.data)).toEqual([{ type: "handoff:unread", count: 1 }]);

    // Both ways, live.
    await send(annChat, "Hi Bob, the lamp is yours: when can you come?");
    await expect.poll(() => shownTexts(frame)).toEqual(["Hi Bob, the lamp is yours: when can you come?"]);
    await send(frame, "Thanks Ann! Tomorrow at six?");
    await expect.poll(() => shownTexts(annChat)).toEqual(["Hi Bob, the lamp is yours: when can you come?", "Thanks Ann! Tomorrow at six?"]);

    // A new message elsewhere: the count goes up, and the platform's page hears it.
    await api("plat-ann", "POST", `/giveaways/${chair}/messages`, { content: "Or the chair tomorrow too?" });
    await expect.poll(async () => (await unreadPosts(bobPage)).map((post) => post.data)).toEqual([
      { type: "handoff:unread", count: 1 },
      { type: "handoff:unread", count: 2 },
    ]);
    expect(new Set((await unreadPosts(bobPage)).map((post) => post.origin))).toEqual(new Set([server.url]));
    expect(consoleErrors).toEqual([]);
  });
});

// What a person does in the browser, step by step through the pages: register, give, enter, draw,
// chat. Every step waits on what the page shows (a selector, a URL), never on a fixed delay.
import type { Page, Response } from "playwright-core";
import { afterAll, beforeAll, vi } from "vitest";
import { openBrowserPerson, type BrowserPerson, type BrowserPersonOptions } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

const password = "correct horse battery";

/** A separate person (own Chromium profile) whose waits give up well within a test's 30 s, naming what was awaited. */
export async function openPerson(options: BrowserPersonOptions = {}): Promise<BrowserPerson> {
  const person = await openBrowserPerson(options);
  person.context.setDefaultTimeout(10_000);
  return person;
}

export interface TwoPeopleStage {
  server: TestServer;
  ann: BrowserPerson;
  bob: BrowserPerson;
}

/** A real server and two people in their own profiles for the tests of one describe block, closed after it. */
export function useServerAndTwoPeople(
  options: { server?: Parameters<typeof startTestServer>[0]; ann?: BrowserPersonOptions; bob?: BrowserPersonOptions } = {},
): TwoPeopleStage {
  const stage = {} as TwoPeopleStage;
  beforeAll(async () => {
    stage.server = await startTestServer(options.server);
    [stage.ann, stage.bob] = await Promise.all([openPerson(options.ann), openPerson(options.bob)]);
  });
  afterAll(async () => {
    await Promise.all([stage.ann?.close(), stage.bob?.close()]);
    await stage.server?.close();
  });
  return stage;
}

/** One message as the chat page shows it. */
export interface ShownMessage {
  id: string;
  mine: boolean;
  text: string;
}

/** Polls `read` (vitest's vi.waitFor) until `holds`; a timeout says what the page showed last. */
export function until<T>(what: string, read: () => Promise<T>, holds: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read();
      if (!holds(value)) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(value)}`);
      return value;
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

/** Registers through /register and lands on /giveaways, signed in. */
export async function register(person: BrowserPerson, baseUrl: string, username: string): Promise<Page> {
  const page = await person.context.newPage();
  await page.goto(`${baseUrl}/register`);
  await page.fill("#username", username);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${baseUrl}/giveaways`), page.click("#register-form button[type=submit]")]);
  await page.locator("#whoami", { hasText: username }).waitFor();
  return page;
}

/** From /giveaways: fills the create form; returns the new giveaway's id (the page is on it). */
export async function createGiveaway(page: Page, title: string, description = ""): Promise<string> {
  await page.fill("#title", title);
  await page.fill("#description", description);
  await Promise.all([page.waitForURL(/\/giveaways\/[A-Za-z0-9-]+(\?minRevision=\d+)?$/), page.click("#create-giveaway-form button[type=submit]")]);
  const id = await page.locator("#giveaway").getAttribute("data-giveaway-id");
  if (!id) throw new Error("the giveaway page has no id");
  return id;
}

/** Finds the giveaway in the list by its title, opens it and enters. */
export async function enterGiveaway(page: Page, baseUrl: string, title: string): Promise<void> {
  await page.goto(`${baseUrl}/giveaways`);
  await page.locator("#giveaway-list a.giveaway-title", { hasText: title }).click();
  await page.click("#enter-form button[type=submit]");
  await page.locator("#entered").waitFor();
}

/** The giver, on the giveaway page: reloads to see the entrant, then draws. */
export async function drawWinner(page: Page, winnerName: string): Promise<void> {
  await page.reload();
  await page.click("#draw-form button[type=submit]"); // waits until enabled: someone has entered
  await page.locator("#winner", { hasText: winnerName }).waitFor();
}

/** Waits until the chat's stream is connected and the send button usable. */
export async function waitConnected(page: Page): Promise<void> {
  await page.locator('#connection-status[data-state="connected"]').waitFor();
  await page.locator('#message-form[data-state="ready"]').waitFor({ state: "attached" });
}

/** From a giveaway page that shows the way to the chat. */
export async function openChatFromGiveaway(page: Page): Promise<void> {
  await Promise.all([page.waitForURL(/\/messages\/[A-Za-z0-9-]+$/), page.click("#open-chat")]);
  await waitConnected(page);
}

export async function shownMessages(page: Page): Promise<ShownMessage[]> {
  return page.locator("#messages .message").evaluateAll((elements) =>
    elements.map((element) => ({
      id: element.id,
      mine: element.classList.contains("mine"),
      text: element.querySelector(".bubble")?.textContent ?? "",
    })),
  );
}

/** Waits until the page shows exactly these texts, in this order (nothing missing, nothing twice). */
export async function waitForTexts(page: Page, who: string, texts: string[], timeoutMs?: number): Promise<ShownMessage[]> {
  const same = (shown: ShownMessage[]) => shown.length === texts.length && shown.every((m, i) => m.text === texts[i]);
  return until(`${who}'s chat to show ${JSON.stringify(texts)}`, () => shownMessages(page), same, timeoutMs);
}

/** Types and sends through the chat form (a click, or Enter as on a keyboard); waits for the form to be ready again. */
export async function sendInChat(page: Page, text: string, how: "click" | "enter" = "click"): Promise<void> {
  await waitConnected(page);
  const before = (await shownMessages(page)).length;
  await page.fill("#message-content", text);
  if (how === "click") await page.click("#send-button");
  else await page.press("#message-content", "Enter");
  await until(
    `"${text}" to show as sent`,
    () => shownMessages(page),
    (shown) => shown.length > before && shown.some((m, i) => i >= before && m.mine && m.text === text),
  );
  // The form comes back fresh (a new hidden id, an empty box) before the next message is typed.
  await until("an empty message box", () => page.inputValue("#message-content"), (value) => value === "");
  await page.locator('#message-form[data-state="ready"]').waitFor({ state: "attached" });
}

/** Without JavaScript: a plain form POST, a 303 back to the chat, the message in the page. */
export async function sendWithoutScript(page: Page, text: string): Promise<void> {
  await page.fill("#message-content", text);
  await Promise.all([page.waitForURL(/\/messages\/[A-Za-z0-9-]+(\?minRevision=\d+)?#latest$/), page.click("#send-button")]);
}

/** Marks the document so a later check can tell the page was never reloaded or left. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate("window.__sameDocument = true");
}

export async function isSameDocument(page: Page): Promise<boolean> {
  return (await page.evaluate("window.__sameDocument === true")) === true;
}

/** Goes to a page and waits until its live notifications stream has answered (so it hears what comes next). */
export async function gotoWithNotifications(page: Page, url: string): Promise<void> {
  const streamAnswered = page.waitForResponse((response: Response) => response.url().endsWith("/me/stream") && response.status() === 200);
  await page.goto(url);
  await streamAnswered;
}

/** The signed-in person's session token (the HttpOnly cookie), e.g. to send through the API as them. */
export async function sessionToken(person: BrowserPerson): Promise<string> {
  const cookie = (await person.context.cookies()).find((c) => c.name === "handoff_session");
  if (!cookie) throw new Error("not signed in: no session cookie");
  return cookie.value;
}

/** Sends as the token's owner through the JSON API (for a sender that is not a page). */
export async function sendThroughApi(baseUrl: string, token: string, giveawayId: string, content: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/giveaways/${giveawayId}/messages`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ content }),
  });
  if (response.status !== 201) throw new Error(`sending through the API failed: ${response.status} ${await response.text()}`);
}

export interface ChatSide {
  name: string;
  person: BrowserPerson;
  /** The chat page, connected. */
  page: Page;
}

/** Two people, each in their own browser, register; one gives, the other enters and wins; both open the chat. */
export async function openChatBetween(
  baseUrl: string,
  people: { giver: BrowserPerson; winner: BrowserPerson },
  names: { giver: string; winner: string },
  giveaway: { title: string; description?: string },
): Promise<{ giveawayId: string; giver: ChatSide; winner: ChatSide }> {
  const [giverPage, winnerPage] = await Promise.all([register(people.giver, baseUrl, names.giver), register(people.winner, baseUrl, names.winner)]);
  const giveawayId = await createGiveaway(giverPage, giveaway.title, giveaway.description);
  await enterGiveaway(winnerPage, baseUrl, giveaway.title);
  await drawWinner(giverPage, names.winner);
  await winnerPage.reload();
  await Promise.all([openChatFromGiveaway(giverPage), openChatFromGiveaway(winnerPage)]);
  return {
    giveawayId,
    giver: { name: names.giver, person: people.giver, page: giverPage },
    winner: { name: names.winner, person: people.winner, page: winnerPage },
  };
}

/** Collects console errors and uncaught page errors from every page a person opens (the ones opened later too). */
export function watchConsoleErrors(person: BrowserPerson, into: string[]): void {
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() === "error") into.push(`${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => into.push(`${page.url()}: ${error.message}`));
  };
  person.context.pages().forEach(watch);
  person.context.on("page", watch);
}

/** The part of an element the reader can see inside the chat's scrolling box, in px (0: scrolled out of sight). */
export async function visibleHeightInScroller(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const scroller = document.getElementById("message-scroller");
    const element = document.querySelector(sel);
    if (!scroller || !element) return -1;
    const box = scroller.getBoundingClientRect();
    const rect = element.getBoundingClientRect();
    return Math.max(0, Math.min(box.bottom, rect.bottom, window.innerHeight) - Math.max(box.top, rect.top, 0));
  }, selector);
}

/** Requests a page makes to send a chat message (the form's POST), to tell what reached the server. */
export function countSendRequests(page: Page, giveawayId: string): { count: number } {
  const counter = { count: 0 };
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === `/messages/${giveawayId}`) counter.count++;
  });
  return counter;
}

/** A JSON API call with a session's token, for setting the stage; anything but a 2xx is thrown. */
export async function callApi(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** How wide the page's content is: more than the window means a horizontal scroll. */
export const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

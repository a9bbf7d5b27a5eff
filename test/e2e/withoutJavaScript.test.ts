// With JavaScript off, every step still works through plain forms and redirects: the chat reads
// (its history is in the page) and sends (a form POST, a 303 back, the message shown).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import {
  createGiveaway,
  drawWinner,
  enterGiveaway,
  openPerson,
  register,
  sendThroughApi,
  sendWithoutScript,
  sessionToken,
  shownMessages,
  visibleHeightInScroller,
} from "./chatInBrowser.ts";

describe.skipIf(browserTestsSkipped)("browser: the chat with JavaScript off", () => {
  let server: TestServer;
  let annBrowser: BrowserPerson;
  let bobBrowser: BrowserPerson;
  let conversation: { giveawayId: string; ann: Page };
  beforeAll(async () => {
    server = await startTestServer();
    [annBrowser, bobBrowser] = await Promise.all([openPerson({ javaScriptEnabled: false }), openPerson({ javaScriptEnabled: false })]);
  });
  afterAll(async () => {
    await Promise.all([annBrowser?.close(), bobBrowser?.close()]);
    await server?.close();
  });

  it("reads the history and sends by a plain form post", async () => {
    const url = server.url;
    const [ann, bob] = await Promise.all([register(annBrowser, url, "ann"), register(bobBrowser, url, "bob")]);
    // Scripts really are off in these pages.
    expect(await ann.evaluate("typeof window.htmx")).toBe("undefined");

    const giveawayId = await createGiveaway(ann, "A bookshelf", "Pine, 180 cm.");
    conversation = { giveawayId, ann };
    await enterGiveaway(bob, url, "A bookshelf");
    await drawWinner(ann, "bob");
    await bob.goto(`${url}/giveaways/${giveawayId}`);
    await bob.click("#open-chat");
    await bob.waitForURL(`${url}/messages/${giveawayId}`);

    // No script: no live connection indicator, a reload hint instead, and a usable form.
    expect(await bob.locator("#connection-status").isVisible()).toBe(false);
    expect(await bob.locator("#send-button").isEnabled()).toBe(true);
    // (Playwright's text engine skips <noscript>, so the hint is found by its link.)
    const reloadHint = bob.locator('#chat p.help:has(a[href$="#latest"])');
    expect(await reloadHint.isVisible()).toBe(true);
    expect(await reloadHint.innerText()).toBe("New messages show when you reload the page.");

    const first = "Hello! Is it still fine to pick it up tomorrow?\nI have a van.";
    await sendWithoutScript(bob, first);
    expect(await shownMessages(bob)).toEqual([{ id: expect.stringMatching(/^msg-\d+$/), mine: true, text: first }]);
    expect(await bob.inputValue("#message-content")).toBe("");

    // Ann reads it in the page as it comes from the server, then answers the same way.
    await ann.goto(`${url}/messages/${giveawayId}`);
    expect(await shownMessages(ann)).toEqual([{ id: expect.any(String), mine: false, text: first }]);
    const second = "Yes, tomorrow from 9.";
    await sendWithoutScript(ann, second);
    expect((await shownMessages(ann)).map((m) => [m.mine, m.text])).toEqual([
      [false, first],
      [true, second],
    ]);

    // Bob sees the answer after a reload, as the hint says.
    await bob.reload();
    const bobSees = await shownMessages(bob);
    expect(bobSees.map((m) => [m.mine, m.text])).toEqual([
      [true, first],
      [false, second],
    ]);
    expect(bobSees.map((m) => m.id)).toEqual((await shownMessages(ann)).map((m) => m.id));

    // A blank message is refused with a readable error, and nothing is stored.
    await bob.fill("#message-content", "   ");
    await bob.click("#send-button");
    await bob.locator("#message-error:not([hidden])").waitFor();
    expect((await bob.locator("#message-error").textContent())?.trim()).not.toBe("");
    expect(await shownMessages(bob)).toHaveLength(2);
  });

  it("opens a long conversation at the newest message, and shows the sent one after a send or the reload link", async () => {
    const url = server.url;
    const { ann, giveawayId } = conversation;
    // Far more than fits on screen.
    const token = await sessionToken(bobBrowser);
    for (let i = 1; i <= 40; i++) await sendThroughApi(url, token, giveawayId, `Line ${i} of a long story about the bookshelf.`);

    for (const width of [900, 390]) {
      await ann.setViewportSize({ width, height: 700 });
      await ann.goto(`${url}/messages/${giveawayId}`);
      const shown = await shownMessages(ann);
      expect(shown.at(-1)?.text).toBe(width === 900 ? "Line 40 of a long story about the bookshelf." : "Sent at 900 px.");
      expect(await visibleHeightInScroller(ann, `#${shown.at(-1)!.id} .bubble`)).toBeGreaterThan(10);
      expect(await visibleHeightInScroller(ann, `#${shown[0]!.id} .bubble`)).toBe(0);

      // A plain send comes back to "#latest": the new message is in view, not an empty box.
      await sendWithoutScript(ann, `Sent at ${width} px.`);
      const after = await shownMessages(ann);
      expect(after.at(-1)).toMatchObject({ mine: true, text: `Sent at ${width} px.` });
      expect(await visibleHeightInScroller(ann, `#${after.at(-1)!.id} .bubble`)).toBeGreaterThan(10);
      expect(await visibleHeightInScroller(ann, `#${after.at(-2)!.id} .bubble`)).toBeGreaterThan(10);

      // The no-script "reload the page" link does the same.
      await ann.locator('#chat p.help a[href$="#latest"]').click();
      await ann.waitForURL(/#latest$/);
      expect(await visibleHeightInScroller(ann, `#${after.at(-1)!.id} .bubble`)).toBeGreaterThan(10);
    }
  });
});

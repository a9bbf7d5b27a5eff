// Notifications outside the chat and pages that stay live: the giver's page counts entrants and
// enables the draw as people enter; the winner's page turns "won" by itself; the unread count
// shows in the tab title and on the favicon on every page; a message that arrives while the chat
// tab is hidden raises a desktop notification (permission asked on a click, never on load).
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import {
  createGiveaway,
  enterGiveaway,
  gotoWithNotifications,
  isSameDocument,
  markDocument,
  register,
  sendInChat,
  useServerAndTwoPeople,
  waitConnected,
  watchConsoleErrors,
} from "./chatInBrowser.ts";

/** The tab's visibility under the test's control, and every desktop notification the page makes. */
const hiddenTabDouble = `
  let hidden = false;
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
  Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
  window.__setHidden = (value) => { hidden = value; document.dispatchEvent(new Event("visibilitychange")); };
  window.__notes = [];
  if (window.Notification) {
    const Real = window.Notification;
    window.Notification = class extends Real {
      constructor(title, options) { super(title, options); window.__notes.push({ title, body: options && options.body }); }
    };
  }
`;

const favicon = (page: Page) => page.locator('link[rel="icon"]').getAttribute("href");

describe.skipIf(browserTestsSkipped)("browser: live pages and notifications", () => {
  const stage = useServerAndTwoPeople();
  const consoleErrors: string[] = [];

  it("keeps the giveaway pages live, shows unread in the title and favicon, and notifies while the chat tab is hidden", async () => {
    watchConsoleErrors(stage.ann, consoleErrors);
    watchConsoleErrors(stage.bob, consoleErrors);
    const url = stage.server.url;
    const [ann, bob] = await Promise.all([register(stage.ann, url, "ann"), register(stage.bob, url, "bob")]);
    const giveawayId = await createGiveaway(ann, "A lamp", "Brass, works.");

    // Ann watches her giveaway: nobody yet, the draw disabled.
    await gotoWithNotifications(ann, `${url}/giveaways/${giveawayId}`);
    await markDocument(ann);
    expect(await ann.locator("#entrant-count").textContent()).toBe("0");
    expect(await ann.locator("#draw-form button").isDisabled()).toBe(true);

    // Bob (on a phone) enters: Ann's page counts him and enables the draw, without a reload.
    await bob.setViewportSize({ width: 390, height: 844 });
    await enterGiveaway(bob, url, "A lamp");
    await ann.locator('#entrant-count[data-count="1"]').waitFor();
    await ann.locator("#draw-form button:enabled").waitFor();
    expect(await isSameDocument(ann)).toBe(true);

    // Bob waits on the giveaway page; Ann draws: his page says he won, and no longer "Open for entries".
    await gotoWithNotifications(bob, `${url}/giveaways/${giveawayId}`);
    await markDocument(bob);
    await ann.click("#draw-form button");
    await bob.locator("#winner", { hasText: "You!" }).waitFor();
    expect(await bob.locator("#giveaway-status").textContent()).toBe("Drawn");
    expect(await bob.locator("#open-chat").isVisible()).toBe(true);
    expect(await isSameDocument(bob)).toBe(true);

    // Bob browses; Ann writes: the unread count is in his tab title and on the favicon.
    await gotoWithNotifications(bob, `${url}/giveaways`);
    expect(await bob.title()).toBe("Giveaways · handoff");
    expect(await favicon(bob)).toBe("/assets/favicon.svg");
    await ann.goto(`${url}/messages/${giveawayId}`);
    await waitConnected(ann);
    await sendInChat(ann, "Hi Bob, the lamp is yours.");
    await bob.locator('#unread-badge[data-count="1"]').waitFor();
    expect(await bob.title()).toBe("(1) Giveaways · handoff");
    expect(await favicon(bob)).toBe("/assets/favicon-unread.svg");

    // In the chat (hidden tab, notifications allowed): a new message notifies and counts in the title.
    await stage.bob.context.grantPermissions(["notifications"]);
    const chat = await stage.bob.context.newPage();
    await chat.addInitScript(hiddenTabDouble);
    await chat.setViewportSize({ width: 390, height: 844 });
    await chat.goto(`${url}/messages/${giveawayId}`);
    await waitConnected(chat);
    expect(await chat.locator("#enable-notifications").isVisible()).toBe(false); // already allowed
    const chatTitle = await chat.title();
    await chat.evaluate("window.__setHidden(true)");
    await sendInChat(ann, "It's on the porch.");
    await chat.locator("#messages .message.theirs", { hasText: "It's on the porch." }).waitFor();
    expect(await chat.evaluate("window.__notes")).toEqual([{ title: "ann · A lamp", body: "It's on the porch." }]);
    expect(await chat.title()).toBe(`(1) ${chatTitle}`);
    expect(await favicon(chat)).toBe("/assets/favicon-unread.svg");
    // Back to the tab: the count goes.
    await chat.evaluate("window.__setHidden(false)");
    await chat.waitForFunction((title) => document.title === title, chatTitle);
    expect(consoleErrors).toEqual([]);
  }, 90_000);

  it("asks for notification permission only on a click", async (context) => {
    const url = stage.server.url;
    const page = await stage.ann.context.newPage();
    const giveawayId = new URL(stage.ann.context.pages().find((p) => p.url().includes("/messages/"))!.url()).pathname.split("/")[2];
    await page.goto(`${url}/messages/${giveawayId}`);
    await waitConnected(page);
    // Some Chromium builds deny notifications up front in headless mode: then there is nothing to ask, say so.
    if ((await page.evaluate("Notification.permission")) === "denied") {
      await page.close();
      context.skip("this Chromium denies notifications before any prompt; the permission button cannot be exercised");
    }
    expect(await page.evaluate("Notification.permission")).toBe("default");
    const button = page.locator("#enable-notifications");
    expect(await button.isVisible()).toBe(true);
    await button.click();
    await button.waitFor({ state: "hidden" });
    expect(await page.evaluate("Notification.permission")).not.toBe("default");
    await page.close();
  });
});

// The phone's frame (issue 27, "Phone first"), measured in Chromium at 390 x 844: the app bar is one
// row with the account's actions in a menu, the chat gives the messages most of the screen under a
// one-line header (the item's photo, the title, the other person with presence) and above a composer
// pinned to the bottom, and no page scrolls sideways, on the phone nor on a 1280 px desktop.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import { gradientPng } from "../support/sampleFiles.ts";
import { createGiveaway, drawWinner, enterGiveaway, openChatFromGiveaway, register, sendInChat, useServerAndTwoPeople, waitConnected } from "./chatInBrowser.ts";

const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 800 };

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
  height: number;
}

/** Where an element is on screen (getBoundingClientRect), or null when the page has none. */
const boxOf = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const element = document.querySelector(sel);
    if (!element) return null;
    const { top, bottom, left, right, height } = element.getBoundingClientRect();
    return { top, bottom, left, right, height };
  }, selector) as Promise<Box | null>;

/** Content wider than the window scrolls sideways. */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));

async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth } = await sidewaysOverflow(page);
  expect(scrollWidth, `${what}: the page is ${scrollWidth} px wide in a ${innerWidth} px window`).toBeLessThanOrEqual(innerWidth);
}

/** The app bar's parts (brand, links, account menu) share one row, and the bar is no taller than one. */
async function expectAppBarOneRow(page: Page, what: string): Promise<void> {
  const parts = await page.evaluate(() =>
    [...document.querySelectorAll(".site-header .brand, .site-nav > a, .site-nav .account-summary")].map((element) => {
      const { top, bottom } = element.getBoundingClientRect();
      return { text: (element as HTMLElement).innerText, top, bottom };
    }),
  );
  expect(parts.length, `${what}: the app bar's parts`).toBeGreaterThanOrEqual(4);
  const lowestTop = Math.max(...parts.map((part) => part.top));
  const highestBottom = Math.min(...parts.map((part) => part.bottom));
  expect(lowestTop, `${what}: every part of the app bar on one row: ${JSON.stringify(parts)}`).toBeLessThan(highestBottom);
  expect((await boxOf(page, ".site-header"))!.height, `${what}: the app bar's height`).toBeLessThan(64);
}

/** The chat on a phone: messages >= 60 % of the height, a header under 64 px with the photo and the other person, the composer at the bottom. */
async function expectChatFillsThePhone(page: Page, other: string): Promise<void> {
  const scroller = (await boxOf(page, "#message-scroller"))!;
  expect(scroller.height, `the chat with ${other}: the messages get ${Math.round(scroller.height)} of ${phone.height} px`).toBeGreaterThanOrEqual(0.6 * phone.height);
  const header = (await boxOf(page, ".chat-header"))!;
  expect(header.height, "the chat header's height").toBeLessThan(64);
  const photo = (await boxOf(page, ".chat-header img#chat-cover"))!;
  expect(photo.height).toBeGreaterThan(20);
  expect(photo.top >= header.top && photo.bottom <= header.bottom && photo.right <= phone.width).toBe(true);
  const withWhom = page.locator(".chat-header .chat-with");
  expect(await withWhom.innerText()).toContain(other);
  const presence = (await boxOf(page, ".chat-header #presence"))!;
  expect(presence.top >= header.top && presence.bottom <= header.bottom).toBe(true);
  // The composer is pinned at the bottom of the screen, and the send button is on it.
  const form = (await boxOf(page, "#message-form"))!;
  expect(Math.abs(form.bottom - phone.height), `the composer ends ${form.bottom} px down`).toBeLessThanOrEqual(2);
  const send = (await boxOf(page, "#send-button"))!;
  expect(send.right).toBeLessThanOrEqual(phone.width);
  expect(send.bottom).toBeLessThanOrEqual(phone.height);
}

describe.skipIf(browserTestsSkipped)("browser: the phone's frame", () => {
  const stage = useServerAndTwoPeople();

  it("at 390 x 844 the app bar is one row, the messages take most of the chat, and no page scrolls sideways (nor at 1280 px)", { timeout: 60_000 }, async () => {
    const { server, ann: annBrowser, bob: bobBrowser } = stage;
    const url = server.url;
    // A long name, as people choose them: the app bar and the chat header cut it rather than grow.
    const winnerName = "bob_from_the_third_floor";
    const [ann, bob] = await Promise.all([register(annBrowser, url, "ann"), register(bobBrowser, url, winnerName)]);
    const giveawayId = await createGiveaway(ann, "Desk chair with armrests", "Grey, adjustable, a small tear on the left armrest.");
    await ann.locator('label[for="photo-input"]').waitFor();
    await ann.setInputFiles("#photo-input", { name: "chair.png", mimeType: "image/png", buffer: gradientPng(64, 48) });
    await ann.locator("img#giveaway-cover").waitFor();
    await enterGiveaway(bob, url, "Desk chair with armrests");
    await drawWinner(ann, winnerName);
    await bob.reload();
    await Promise.all([openChatFromGiveaway(ann), openChatFromGiveaway(bob)]);
    await sendInChat(ann, "Hi bob, congratulations! When could you come by?");
    await sendInChat(bob, "Thank you! Tomorrow evening, around six?");
    await sendInChat(ann, "Six works. Third floor, the bell says Weber.");

    // The pages of a signed-in person, and the same chat for both people.
    const chatPath = `/messages/${giveawayId}`;
    const signedInPaths = ["/giveaways", `/giveaways/${giveawayId}`, chatPath, "/inbox", `/giveaways/${giveawayId}/audit`];
    for (const [person, other] of [[bob, "ann"], [ann, winnerName]] as const) {
      await person.setViewportSize(phone);
      await person.goto(`${url}${chatPath}`);
      await waitConnected(person);
      await expectChatFillsThePhone(person, other);
      await expectAppBarOneRow(person, `the chat with ${other}`);
    }

    // The account menu opens without leaving the screen and holds the account's actions.
    await bob.click("#account-menu > summary");
    for (const id of ["#profile-link", "#sign-out", "#sign-out-everywhere"]) {
      const box = (await boxOf(bob, id))!;
      expect(await bob.locator(id).isVisible(), id).toBe(true);
      expect(box.left >= 0 && box.right <= phone.width, `${id} inside the screen`).toBe(true);
    }
    await bob.keyboard.press("Escape");
    expect(await bob.locator("#sign-out").isVisible()).toBe(false);

    // A message while bob is elsewhere: the app bar carries the unread badge too.
    await bob.goto(`${url}/inbox`);
    await sendInChat(ann, "I'll leave the light on.");
    for (const size of [phone, desktop]) {
      await bob.setViewportSize(size);
      for (const path of signedInPaths) {
        await bob.goto(`${url}${path}`);
        if (size === phone && path === "/giveaways") await bob.locator('#unread-badge[data-count="1"]').waitFor(); // read once the chat opens
        await expectNoSidewaysScroll(bob, `${path} at ${size.width} px`);
        if (!path.endsWith("/audit")) await expectAppBarOneRow(bob, `${path} at ${size.width} px`); // the audit page has a layout of its own
      }
      // The pickup sheet, opened from the chat's primary pickup button.
      await bob.goto(`${url}${chatPath}`);
      await waitConnected(bob);
      await bob.click("#pickup-open");
      await bob.locator("#pickup-sheet").waitFor({ state: "visible" });
      await expectNoSidewaysScroll(bob, `the pickup sheet at ${size.width} px`);
    }

    // Signed out from the account menu, bob sees the pages before signing in: the landing page, sign in and register.
    await bob.goto(`${url}/giveaways`);
    await bob.click("#account-menu > summary");
    await Promise.all([bob.waitForURL(`${url}/signin`), bob.click("#sign-out")]);
    expect(await bob.locator("#whoami").count()).toBe(0);
    for (const size of [phone, desktop]) {
      await bob.setViewportSize(size);
      for (const path of ["/", "/signin", "/register"]) {
        await bob.goto(`${url}${path}`);
        await expectNoSidewaysScroll(bob, `${path} at ${size.width} px`);
      }
    }
  });
});

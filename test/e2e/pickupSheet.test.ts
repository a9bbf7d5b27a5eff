// The pickup first, on a phone (issue 27): the next step is the one primary button and opens a sheet
// that fits 390 x 844; the destructive actions wait in "More" and ask first (Decline, Redraw, and a
// message's Remove); Redraw says when it will be possible; on a touch screen a message's tools wait
// behind "⋯". The giver sits at a desktop, the winner on a touch phone, a third person entered.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { hour, movableClock } from "../http/pickupFixtures.ts";
import { createGiveaway, drawWinner, enterGiveaway, openChatFromGiveaway, openPerson, register, sendInChat, shownMessages, until, waitConnected } from "./chatInBrowser.ts";
import { nextYear, pickupStatus } from "./pickupInBrowser.ts";

const phone = { width: 390, height: 844 };

/** Where the sheet sits, and whether anything in it scrolls. */
const sheetFit = (page: Page) =>
  page.evaluate(() => {
    const sheet = document.getElementById("pickup-sheet") as HTMLDialogElement;
    const propose = document.getElementById("propose-button")!.getBoundingClientRect();
    const box = sheet.getBoundingClientRect();
    const scrolls = [sheet, ...sheet.querySelectorAll("*")].some((element) => element.scrollHeight > element.clientHeight + 1 && getComputedStyle(element).overflowY !== "visible");
    return { open: sheet.open, modal: sheet.matches(":modal"), top: box.top, bottom: box.bottom, proposeBottom: propose.bottom, scrolls, height: innerHeight };
  });

describe.skipIf(browserTestsSkipped)("browser: the pickup sheet and the confirmations on a phone", () => {
  const clock = movableClock();
  let server: TestServer;
  let people: BrowserPerson[] = [];
  beforeAll(async () => {
    server = await startTestServer({ overrides: { now: clock.now, pick: () => 0 } });
    people = await Promise.all([openPerson({ viewport: { width: 1280, height: 800 } }), openPerson({ viewport: phone, hasTouch: true }), openPerson()]);
  });
  afterAll(async () => {
    await Promise.all(people.map((person) => person.close()));
    await server?.close();
  });

  it("propose from the sheet, answer it from the sheet; Remove, Decline and Redraw ask first; Redraw says when", { timeout: 60_000 }, async () => {
    const url = server.url;
    const [ann, bob, cat] = await Promise.all([register(people[0]!, url, "ann"), register(people[1]!, url, "bob"), register(people[2]!, url, "cat")]);
    const giveawayId = await createGiveaway(ann, "A bike");
    await enterGiveaway(bob, url, "A bike"); // the draw's pick
    await enterGiveaway(cat, url, "A bike");
    await drawWinner(ann, "bob");
    const drawnAt = clock.now().getTime();
    await openChatFromGiveaway(ann);

    // Right after the draw the giver's menu says when a redraw becomes possible (48 hours), with its date.
    await ann.click("#pickup-more summary");
    const later = ann.locator("#pickup-more #redraw-later");
    expect(await later.innerText()).toMatch(/^Redraw possible from \w{3} \d{1,2} \w{3}/);
    const opensAt = Date.parse((await later.locator("time").getAttribute("datetime"))!);
    expect(Math.abs(opensAt - (drawnAt + 48 * hour))).toBeLessThan(60_000);
    expect(await ann.locator("#redraw-button").count()).toBe(0);
    await ann.keyboard.press("Escape");

    // The winner, on the phone: the next step is the primary button, and it opens the sheet.
    await bob.goto(`${url}/messages/${giveawayId}`);
    await waitConnected(bob);
    const open = bob.locator("#pickup-open");
    expect(await open.innerText()).toBe("Propose a pickup");
    expect(await open.getAttribute("class")).toContain("primary");
    expect(await bob.locator("#decline-prize").isVisible()).toBe(false); // in "More", closed
    await open.click();
    await bob.locator("#pickup-sheet").waitFor();
    const fit = await sheetFit(bob);
    expect(fit).toMatchObject({ open: true, modal: true, scrolls: false });
    expect(fit.top).toBeGreaterThanOrEqual(0);
    expect(fit.bottom).toBeLessThanOrEqual(phone.height);
    expect(fit.proposeBottom).toBeLessThanOrEqual(phone.height);
    await bob.keyboard.press("Escape");
    await bob.locator("#pickup-sheet").waitFor({ state: "hidden" });

    // A message's tools wait behind "⋯" on the touch screen; Remove asks, and Cancel keeps the message.
    await sendInChat(bob, "Wrong chat, sorry");
    const slip = (await shownMessages(bob)).at(-1)!.id;
    expect(await bob.locator(`#${slip} .reply-link`).isVisible()).toBe(false);
    await bob.locator(`#${slip} .message-more`).tap();
    expect(await bob.locator(`#${slip} .message-more`).getAttribute("aria-expanded")).toBe("true");
    await bob.locator(`#${slip} .retract-button`).tap();
    await bob.locator("#retract-dialog", { hasText: "Remove this message?" }).waitFor();
    await bob.locator("#retract-dialog .confirm-dismiss").tap();
    await bob.locator("#retract-dialog").waitFor({ state: "hidden" });
    expect(await bob.locator(`#${slip}.removed`).count()).toBe(0);
    await bob.locator(`#${slip} .retract-button`).tap();
    await bob.locator("#confirm-retract").tap();
    await bob.locator(`#${slip}.removed .bubble`, { hasText: "message removed" }).waitFor();
    expect(await ann.locator(".message-more").first().isVisible()).toBe(false); // a desktop needs no "⋯"

    // Bob proposes from the sheet; Ann answers from hers.
    await open.click();
    await bob.fill("#pickup-from", nextYear(5, 3, 10));
    await bob.fill("#pickup-to", nextYear(5, 3, 11));
    await bob.fill("#pickup-place", "Station square");
    await Promise.all([bob.waitForURL(/#pickup-panel$/), bob.click("#propose-button")]);
    await waitConnected(bob);
    expect(await bob.locator("#pickup-open").innerText()).toBe("See the proposal");
    await ann.locator("#pickup-open", { hasText: "Answer the proposal" }).click();
    await ann.locator("#pickup-sheet #sheet-proposal", { hasText: "Station square" }).waitFor();
    await Promise.all([ann.waitForURL(/#pickup-panel$/), ann.click("#sheet-accept")]);
    await until("Bob to see the plan", () => pickupStatus(bob), (status) => status === "pickup_agreed");

    // Agreed: "I received it" is the primary button; another time and Decline wait in "More", Decline asks first.
    expect(await bob.locator("#handover-button").innerText()).toBe("I received it");
    expect(await bob.locator("#decline-prize").isVisible()).toBe(false);
    expect(await bob.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    await bob.locator("#pickup-more summary").tap();
    expect(await bob.locator("#pickup-more #pickup-open").innerText()).toBe("Suggest another time");
    await bob.locator("#decline-prize").tap();
    const question = bob.locator("#decline-dialog");
    await question.waitFor();
    expect(await question.innerText()).toContain("Decline the prize?");
    expect(await question.innerText()).toContain("The giver will draw someone else");
    await question.locator(".confirm-dismiss").tap();
    await question.waitFor({ state: "hidden" });
    await bob.reload();
    expect(await pickupStatus(bob)).toBe("pickup_agreed");
    expect(await bob.locator(".pickup-declined").count()).toBe(0);
    await bob.locator("#pickup-more summary").tap();
    await bob.locator("#decline-prize").tap();
    await Promise.all([bob.waitForURL(/#pickup-panel$/), bob.locator("#confirm-decline").tap()]);
    await bob.locator(".pickup-declined").waitFor();

    // Declined: the giver's menu now offers Redraw, which asks, then draws Cat.
    await ann.reload();
    await ann.click("#pickup-more summary");
    await ann.click("#redraw-button");
    await ann.locator("#redraw-dialog", { hasText: "Draw another winner instead of bob?" }).waitFor();
    await Promise.all([ann.waitForURL(/#pickup-panel$/), ann.click("#confirm-redraw")]);
    await ann.locator(".chat-with", { hasText: "cat" }).waitFor();
  });

});

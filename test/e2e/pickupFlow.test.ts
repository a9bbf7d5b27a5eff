// The pickup in the browser: two people plan it, download the calendar file and hand over; three
// people go through a no-show and a redraw, each seeing only what is theirs.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { movableClock, hour } from "../http/pickupFixtures.ts";
import {
  createGiveaway, drawWinner, enterGiveaway, openChatFromGiveaway, openPerson, register, sendInChat, shownMessages, until, useServerAndTwoPeople, waitConnected, waitForTexts,
} from "./chatInBrowser.ts";
import { nextYear, pickupStatus, propose, shownCards } from "./pickupInBrowser.ts";

describe.skipIf(browserTestsSkipped)("browser: a whole pickup between two people", () => {
  const stage = useServerAndTwoPeople();

  it("propose, counter-propose, accept, calendar file, handed over, received, thank-you", { timeout: 240_000 }, async () => {
    const { server, ann: annBrowser, bob: bobBrowser } = stage;
    for (const person of [annBrowser, bobBrowser]) person.context.setDefaultTimeout(30_000);
    const url = server.url;
    const [ann, bob] = await Promise.all([register(annBrowser, url, "ann"), register(bobBrowser, url, "bob")]);
    const giveawayId = await createGiveaway(ann, "A green sofa");
    await enterGiveaway(bob, url, "A green sofa");
    await drawWinner(ann, "bob");
    await openChatFromGiveaway(ann);
    await bob.goto(`${url}/messages/${giveawayId}`);
    await waitConnected(bob);
    expect(await pickupStatus(bob)).toBe("drawn");

    // Ann proposes; Bob sees the card live, with Accept / Decline / Suggest another time.
    await propose(ann, nextYear(6, 1, 10), nextYear(6, 1, 12), "Elm Street 5", "Second floor");
    await waitConnected(ann);
    await until("Bob to see Ann's card", () => shownCards(bob), (cards) => cards.length === 1 && cards[0]!.canAnswer && cards[0]!.place === "Elm Street 5");
    await bob.locator(".suggest-other").waitFor();

    // Bob suggests another time; Ann sees her card replaced and Bob's new one, live.
    await propose(bob, nextYear(6, 2, 17), nextYear(6, 2, 18), "Elm Street 5, at the door");
    await waitConnected(bob);
    await until("Ann to see the counter-proposal", () => shownCards(ann), (cards) =>
      cards.length === 2 && cards[0]!.status === "superseded" && cards[1]!.status === "open" && cards[1]!.canAnswer);

    // Ann accepts: both see the plan.
    await Promise.all([ann.waitForURL(/#pickup-panel$/), ann.click("#messages .pickup-card[data-status=open] .accept-proposal")]);
    expect(await pickupStatus(ann)).toBe("pickup_agreed");
    await until("Bob to see the plan", () => pickupStatus(bob), (status) => status === "pickup_agreed");
    await bob.locator("#pickup-plan", { hasText: "Elm Street 5, at the door" }).waitFor();

    // Bob downloads the calendar file.
    const [download] = await Promise.all([bob.waitForEvent("download"), bob.click("#pickup-ics")]);
    expect(download.suggestedFilename()).toBe(`pickup-${giveawayId}.ics`);
    const ics = await readFile((await download.path())!, "utf8");
    expect(ics).toContain("BEGIN:VEVENT");
    expect(ics).toContain("LOCATION:Elm Street 5\\, at the door");
    expect(ics).toContain("SUMMARY:Pickup: A green sofa");
    expect(ics).toMatch(/DTSTART:\d{8}T\d{6}Z/);

    // Handed over, then received: completed for both, and a thank-you still goes through.
    await waitConnected(ann);
    await Promise.all([ann.waitForURL(/#pickup-panel$/), ann.click("#handover-button")]);
    await ann.locator("#handover-waiting").waitFor();
    await bob.locator("#pickup-handover", { hasText: "Handed over ✓" }).waitFor();
    await Promise.all([bob.waitForURL(/#pickup-panel$/), bob.click("#handover-button")]);
    expect(await pickupStatus(bob)).toBe("completed");
    await until("Ann to see it completed", () => pickupStatus(ann), (status) => status === "completed");
    await waitConnected(bob);
    await sendInChat(bob, "Thank you, it fits perfectly!");
    await waitForTexts(ann, "Ann", ["Thank you, it fits perfectly!"]);
  });
});

describe.skipIf(browserTestsSkipped)("browser: a no-show and a redraw with three people", () => {
  const clock = movableClock();
  let server: TestServer;
  let people: BrowserPerson[] = [];
  beforeAll(async () => {
    server = await startTestServer({ overrides: { now: clock.now, pick: () => 0 } });
    people = await Promise.all([openPerson(), openPerson(), openPerson()]);
  });
  afterAll(async () => {
    await Promise.all(people.map((person) => person.close()));
    await server?.close();
  });

  it("the giver redraws after the winner stays silent; each winner sees only their conversation, the giver both", { timeout: 240_000 }, async () => {
    for (const person of people) person.context.setDefaultTimeout(30_000);
    const url = server.url;
    const [ann, bob, cat] = await Promise.all([register(people[0]!, url, "ann"), register(people[1]!, url, "bob"), register(people[2]!, url, "cat")]);
    const giveawayId = await createGiveaway(ann, "A lamp");
    await enterGiveaway(bob, url, "A lamp"); // first entrant: the draw's pick
    await enterGiveaway(cat, url, "A lamp");
    await drawWinner(ann, "bob");
    await openChatFromGiveaway(ann);
    await sendInChat(ann, "Hi Bob, are you there?");
    await bob.goto(`${url}/messages/${giveawayId}`);
    await waitConnected(bob);

    // Bob stays silent. Too early, the menu says when a redraw is possible; two days later it draws Cat.
    await ann.click("#pickup-more summary");
    expect(await ann.locator("#redraw-later").textContent()).toContain("Redraw possible from");
    expect(await ann.locator("#redraw-button").count()).toBe(0);
    clock.advance(49 * hour);
    await ann.goto(`${url}/messages/${giveawayId}`);
    await ann.click("#pickup-more summary");
    await ann.click("#redraw-button");
    await Promise.all([ann.waitForURL(/#pickup-panel$/), ann.click("#confirm-redraw")]);
    await ann.locator(".chat-with", { hasText: "cat" }).waitFor();

    // Bob is told live: he keeps reading, can no longer send.
    await until("Bob to see the redraw", () => pickupStatus(bob), (status) => status === "redrawn");
    await bob.locator("#former-winner-note").waitFor();

    // Cat sees only her own conversation with Ann.
    await cat.goto(`${url}/messages/${giveawayId}`);
    await waitConnected(cat);
    expect(await shownMessages(cat)).toEqual([]);
    await waitConnected(ann);
    await sendInChat(ann, "Hi Cat, the lamp is yours!");
    await waitForTexts(cat, "Cat", ["Hi Cat, the lamp is yours!"]);
    await sendInChat(cat, "Wonderful, thanks!");

    // Ann sees both conversations, separated; Bob only his.
    await waitForTexts(ann, "Ann", ["Hi Bob, are you there?", "Hi Cat, the lamp is yours!", "Wonderful, thanks!"]);
    await ann.reload();
    expect(await ann.locator(".round-header").allTextContents()).toEqual(["Conversation with bob", "Now talking with cat"]);
    await bob.reload();
    expect((await shownMessages(bob)).map((m) => m.text)).toEqual(["Hi Bob, are you there?"]);
    // No message box where one cannot send (the server refuses such a send anyway: test/http/pickupRedraw.test.ts).
    expect(await bob.locator("#message-form").count()).toBe(0);
    await bob.locator("#composer-closed").waitFor();
    expect((await shownMessages(cat)).map((m) => m.text)).toEqual(["Hi Cat, the lamp is yours!", "Wonderful, thanks!"]);

    // The audit shows each of them only what is theirs, and who could read from every change.
    const auditOf = async (page: Page) => {
      const response = await page.goto(`${url}/giveaways/${giveawayId}/audit`);
      expect(response?.status()).toBe(200);
      return {
        messages: await page.locator("ol.audit li.message .content").allTextContents(),
        readers: (await page.locator("ol.audit li.readers").allTextContents()).map((text) => text.replace(/\s+/g, " ").trim()),
        rounds: await page.locator("ol.audit li.message .round").allTextContents(),
      };
    };
    // Each winner reads the other round's winner as "someone else"; the giver, who ran the draws, reads both.
    const atDraw = (bob: string) => new RegExp(`^Readers from revision \\d+: giver ann, winner ${bob}$`);
    const afterRedraw = (bob: string, cat: string) => new RegExp(`^Readers from revision \\d+: giver ann, ${bob} \\(former winner\\) read-only, winner ${cat}$`);
    const catsAudit = await auditOf(cat);
    expect(catsAudit.messages).toEqual(["Hi Cat, the lamp is yours!", "Wonderful, thanks!"]);
    expect(catsAudit.readers).toEqual([expect.stringMatching(atDraw("someone else")), expect.stringMatching(afterRedraw("someone else", "cat"))]);
    const bobsAudit = await auditOf(bob);
    expect(bobsAudit.messages).toEqual(["Hi Bob, are you there?"]);
    expect(bobsAudit.readers).toEqual([expect.stringMatching(atDraw("bob")), expect.stringMatching(afterRedraw("bob", "someone else"))]);
    const annsAudit = await auditOf(ann);
    expect(annsAudit.readers).toEqual([expect.stringMatching(atDraw("bob")), expect.stringMatching(afterRedraw("bob", "cat"))]);
    expect(annsAudit.messages).toEqual(["Hi Bob, are you there?", "Hi Cat, the lamp is yours!", "Wonderful, thanks!"]);
    expect(annsAudit.rounds).toEqual(["round 1 · bob", "round 2 · cat", "round 2 · cat"]);
  });
});

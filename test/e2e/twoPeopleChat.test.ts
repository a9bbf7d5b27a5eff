// Two people in two separate Chromium profiles, everything through the pages: register, give,
// enter, draw, chat both ways live, see each other online, and count unread messages elsewhere.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import {
  createGiveaway,
  drawWinner,
  enterGiveaway,
  gotoWithNotifications,
  isSameDocument,
  markDocument,
  openChatFromGiveaway,
  useServerAndTwoPeople,
  register,
  sendInChat,
  waitConnected,
  waitForTexts,
} from "./chatInBrowser.ts";

/** Where a message's bubble sits inside the conversation column. */
async function bubbleEdges(page: Page, messageId: string) {
  const column = await page.locator("#messages").boundingBox();
  const bubble = await page.locator(`#${messageId} .bubble`).boundingBox();
  if (!column || !bubble) throw new Error(`${messageId} is not on screen`);
  return { leftGap: bubble.x - column.x, rightGap: column.x + column.width - (bubble.x + bubble.width) };
}

describe.skipIf(browserTestsSkipped)("browser: two people chat about a pickup", () => {
  const stage = useServerAndTwoPeople();

  it("draws, chats both ways without reloads, shows presence, and counts unread messages on other pages", async () => {
    const { server, ann: annBrowser, bob: bobBrowser } = stage;
    const url = server.url;
    const [ann, bob] = await Promise.all([register(annBrowser, url, "ann"), register(bobBrowser, url, "bob")]);

    // Ann gives, Bob enters; Bob waits on the giveaway page, which hears the draw live.
    const giveawayId = await createGiveaway(ann, "A red bike", "Three gears, new tyres.");
    await enterGiveaway(bob, url, "A red bike");
    await gotoWithNotifications(bob, `${url}/giveaways/${giveawayId}`);
    await markDocument(bob);
    await drawWinner(ann, "bob");
    const notice = bob.locator(`#notices .notice[data-giveaway-id="${giveawayId}"]`);
    await notice.waitFor();
    expect(await notice.textContent()).toContain("You won A red bike");
    expect(await isSameDocument(bob)).toBe(true);

    // Ann opens the chat first: Bob is not there yet.
    await openChatFromGiveaway(ann);
    expect(await ann.locator("#presence").getAttribute("data-online")).toBe("false");
    await markDocument(ann);
    await Promise.all([bob.waitForURL(`${url}/messages/${giveawayId}`), notice.locator("a", { hasText: "Open the chat" }).click()]);
    await waitConnected(bob);
    await markDocument(bob);
    await ann.locator('#presence[data-online="true"]', { hasText: "bob · online" }).waitFor();
    await bob.locator('#presence[data-online="true"]', { hasText: "ann · online" }).waitFor();

    // Both ways, each live on the other side.
    const first = "Hi! Congrats — when can you pick up the bike?";
    const second = "Thanks! Saturday at 10?";
    await sendInChat(ann, first);
    await waitForTexts(bob, "bob", [first]);
    await sendInChat(bob, second, "enter");
    const annSees = await waitForTexts(ann, "ann", [first, second]);
    const bobSees = await waitForTexts(bob, "bob", [first, second]);
    expect(annSees.map((m) => m.mine)).toEqual([true, false]);
    expect(bobSees.map((m) => m.mine)).toEqual([false, true]);
    // Same messages, same ids (msg-<revision>) on both sides.
    expect(bobSees.map((m) => m.id)).toEqual(annSees.map((m) => m.id));

    // Own messages on the right, the other person's on the left.
    const [annMine, annTheirs] = [await bubbleEdges(ann, annSees[0]!.id), await bubbleEdges(ann, annSees[1]!.id)];
    expect(annMine.rightGap).toBeLessThan(2);
    expect(annMine.leftGap).toBeGreaterThan(40);
    expect(annTheirs.leftGap).toBeLessThan(2);
    expect(annTheirs.rightGap).toBeGreaterThan(40);
    const bobTheirs = await bubbleEdges(bob, bobSees[0]!.id);
    expect(bobTheirs.leftGap).toBeLessThan(2);

    // Bob closes the chat: Ann sees him go offline.
    await bob.close();
    await ann.locator('#presence[data-online="false"]', { hasText: "bob · offline" }).waitFor();

    // Bob browses the giveaways; a message arrives: the badge counts it, live.
    const browsing = await bobBrowser.context.newPage();
    await gotoWithNotifications(browsing, `${url}/giveaways`);
    await markDocument(browsing);
    expect(await browsing.locator("#unread-badge").getAttribute("data-count")).toBe("0");
    expect(await browsing.locator("#unread-badge").isVisible()).toBe(false);
    const third = "Saturday at 10 works. Ring twice.";
    await sendInChat(ann, third);
    await browsing.locator('#unread-badge[data-count="1"]').waitFor();
    expect(await browsing.locator("#unread-badge").innerText()).toMatch(/^1/);
    expect(await browsing.locator("#unread-badge").isVisible()).toBe(true);
    expect(await isSameDocument(browsing)).toBe(true);

    // In the inbox, the conversation's own count follows too.
    await gotoWithNotifications(browsing, `${url}/inbox`);
    await markDocument(browsing);
    expect(await browsing.locator(`#unread-${giveawayId}`).getAttribute("data-count")).toBe("1");
    const fourth = "Bring a pump, the back tyre is soft.";
    await sendInChat(ann, fourth);
    await browsing.locator(`#unread-${giveawayId}[data-count="2"]`).waitFor();
    await browsing.locator('#unread-badge[data-count="2"]').waitFor();
    expect(await isSameDocument(browsing)).toBe(true);

    // Bob opens the conversation from the inbox: everything is there, read, and Ann sees him back.
    await Promise.all([browsing.waitForURL(`${url}/messages/${giveawayId}`), browsing.click(`.inbox-item[data-giveaway-id="${giveawayId}"] a.inbox-link`)]);
    await waitConnected(browsing);
    const shown = await waitForTexts(browsing, "bob", [first, second, third, fourth]);
    expect(shown.map((m) => m.mine)).toEqual([false, true, false, false]);
    await ann.locator('#presence[data-online="true"]').waitFor();
    await gotoWithNotifications(browsing, `${url}/giveaways`);
    expect(await browsing.locator("#unread-badge").getAttribute("data-count")).toBe("0");
    // Ann's chat page was never reloaded through all of this.
    expect(await isSameDocument(ann)).toBe(true);
  }, 90_000); // the whole story in one test: room for a machine shared with other work
});

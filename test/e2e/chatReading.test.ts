// Reading a conversation as a person expects: a separator where the day changes and a group for
// consecutive messages, every time in the reader's own zone in one format (chat, inbox, audit),
// web addresses as safe links, pages that fit a 390 px phone, and no console error anywhere.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import {
  openChatBetween,
  sendInChat,
  sendThroughApi,
  sessionToken,
  useServerAndTwoPeople,
  waitConnected,
  waitForTexts,
  watchConsoleErrors,
} from "./chatInBrowser.ts";

const dayMs = 86_400_000;
// The server's clock can be set back, to write messages on earlier days.
const clock = { behindMs: 0 };
const annZone = "America/Los_Angeles";
const bobZone = "Asia/Tokyo";

/** What a reader in `timeZone` should see for a time sent today (the pages' one format: "Today 15:28"). */
const clockText = (iso: string, timeZone: string) =>
  `Today ${new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(new Date(iso))}`;

async function fitsWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

describe.skipIf(browserTestsSkipped)("browser: reading a conversation", () => {
  const stage = useServerAndTwoPeople({
    server: { overrides: { now: () => new Date(Date.now() - clock.behindMs) } },
    ann: { timezoneId: annZone, locale: "en-US" },
    bob: { timezoneId: bobZone, locale: "en-US" },
  });
  const consoleErrors: string[] = [];

  it("separates days, groups a person's consecutive messages, links addresses safely, and shows times in each reader's zone", async () => {
    watchConsoleErrors(stage.ann, consoleErrors);
    watchConsoleErrors(stage.bob, consoleErrors);
    const { server } = stage;
    const chat = await openChatBetween(server.url, { giver: stage.ann, winner: stage.bob }, { giver: "ann", winner: "bob" }, { title: "A sofa" });
    const ann = chat.giver.page;
    const bob = chat.winner.page;
    const annToken = await sessionToken(stage.ann);

    // Three days ago, two messages a minute apart; then today.
    clock.behindMs = 3 * dayMs;
    await sendThroughApi(server.url, annToken, chat.giveawayId, "The sofa is yours.");
    await sendThroughApi(server.url, annToken, chat.giveawayId, "It is grey, 2 m long.");
    clock.behindMs = 0;
    const link = "https://example.org/pickup?day=sat&time=10";
    await sendInChat(ann, `Directions: ${link}. Not javascript:alert(1) though.`);
    const texts = ["The sofa is yours.", "It is grey, 2 m long.", `Directions: ${link}. Not javascript:alert(1) though.`];
    await waitForTexts(bob, "bob", texts);

    for (const page of [ann, bob]) {
      await page.reload();
      await waitConnected(page);
      const separators = await page.locator("#messages .day-separator").allTextContents();
      expect(separators).toHaveLength(2);
      expect(separators[1]).toBe("Today");
      expect(separators[0]).not.toBe("Today");
      const classes = await page.locator("#messages .message").evaluateAll((all) => all.map((m) => m.className));
      expect(classes[0]).toContain("followed"); // its name and time shown once, under the group
      expect(classes[1]).toContain("continued");
      expect(classes[2]).not.toContain("continued"); // another day
      expect(await page.locator("#messages .message").first().locator(".meta").isVisible()).toBe(false);
      expect(await page.locator("#messages .message").nth(1).locator(".meta").isVisible()).toBe(true);

      const anchor = page.locator("#messages .bubble a");
      expect(await anchor.count()).toBe(1);
      expect(await anchor.getAttribute("href")).toBe(link);
      expect(await anchor.getAttribute("target")).toBe("_blank");
      expect(await anchor.getAttribute("rel")).toContain("noopener");
      expect(await page.locator("#messages .bubble").nth(2).textContent()).toBe(texts[2]);
    }

    // Today's message: the same clock time as each reader's zone gives it, on both sides.
    const sentAt = (await bob.locator("#messages .message").nth(2).locator("time").getAttribute("datetime"))!;
    expect(await ann.locator("#messages .message").nth(2).locator("time").textContent()).toBe(clockText(sentAt, annZone));
    expect(await bob.locator("#messages .message").nth(2).locator("time").textContent()).toBe(clockText(sentAt, bobZone));

    // Live: two quick messages from Bob form a group on Ann's screen without a reload.
    await sendInChat(bob, "On my way.");
    await sendInChat(bob, "Ten minutes.");
    await waitForTexts(ann, "ann", [...texts, "On my way.", "Ten minutes."]);
    await ann.locator("#messages .message.theirs.continued", { hasText: "Ten minutes." }).waitFor();

    // The inbox and the audit speak the same time, in the reader's zone.
    const inbox = await stage.bob.context.newPage();
    await inbox.goto(`${server.url}/inbox`);
    const inboxTime = inbox.locator(".inbox-last time");
    await inbox.locator('.inbox-last time[data-local="true"]').waitFor();
    const lastAt = (await inboxTime.getAttribute("datetime"))!;
    expect(await inboxTime.textContent()).toBe(clockText(lastAt, bobZone));
    const audit = await stage.bob.context.newPage();
    await audit.goto(`${server.url}/giveaways/${chat.giveawayId}/audit`);
    await audit.locator('ol.audit time[data-local="true"]').first().waitFor();
    const auditTime = audit.locator("ol.audit li").last().locator("time");
    expect(await auditTime.textContent()).toBe(clockText((await auditTime.getAttribute("datetime"))!, bobZone));

    // A phone, 390 px wide: nothing wider than the screen.
    for (const page of [bob, inbox, audit]) {
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await fitsWidth(page), page.url()).toBeLessThanOrEqual(390);
    }
    await inbox.close();
    await audit.close();
    expect(consoleErrors).toEqual([]);
  }, 90_000);
});

// Block and report in Chromium with the script on: the giver reports the winner's message and blocks
// them in one step; the winner, on a 390 px phone, sees their next message "Not sent" with the
// plain sentence, and the chat, the report page and the block page fit the screen.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import { openChatBetween, sendInChat, until, useServerAndTwoPeople, waitForTexts } from "../e2e/chatInBrowser.ts";

const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe.skipIf(browserTestsSkipped)("browser: block and report", () => {
  const stage = useServerAndTwoPeople();

  it("reports a message and blocks its sender in one step; the sender's next message is not sent", async () => {
    const { giveawayId, giver, winner } = await openChatBetween(stage.server.url, { giver: stage.ann, winner: stage.bob }, { giver: "ann", winner: "bob" }, { title: "A bike" });
    await winner.page.setViewportSize({ width: 390, height: 844 });
    expect(await fitsWidth(winner.page)).toBeLessThanOrEqual(390);

    await sendInChat(winner.page, "pay 5 EUR delivery fee first");
    await waitForTexts(giver.page, "ann", ["pay 5 EUR delivery fee first"]);
    // Tools show on hover (a mouse) and always on touch screens.
    await giver.page.locator(".message.theirs").first().hover();
    await giver.page.locator(".message.theirs .report-link").first().click();
    await giver.page.waitForURL(/\/report\?messageId=/);
    await expect(giver.page.locator(".reported-message").textContent()).resolves.toContain("pay 5 EUR delivery fee first");
    await giver.page.locator('input[name="reason"][value="scam"]').check();
    await giver.page.locator("#report-note").fill("asks for a fee");
    await giver.page.locator('input[name="block"]').check();
    await giver.page.locator("#report-form button[type=submit]").click();
    await giver.page.waitForURL(/\/report\?sent=1$/);
    await expect(giver.page.locator("#report-sent").textContent()).resolves.toContain("You have blocked bob");
    expect(stage.server.handoff.queries.openReports().filter((report) => report.giveawayId === giveawayId)).toMatchObject([{ reason: "scam", note: "asks for a fee" }]);

    await sendInChat(winner.page, "hello?");
    const failed = await until(
      "the refused message's label",
      () => winner.page.locator('.message.mine[data-state="failed"]').allTextContents(),
      (texts) => texts.length > 0,
    );
    expect(failed.join(" ")).toContain("You can't send messages in this conversation.");

    // The pages a phone opens fit it.
    for (const path of [`/messages/${giveawayId}/report`, `/messages/${giveawayId}/block`]) {
      await winner.page.goto(`${stage.server.url}${path}`);
      expect(await fitsWidth(winner.page), path).toBeLessThanOrEqual(390);
    }
  }, 60_000);
});

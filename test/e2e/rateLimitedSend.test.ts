// A send refused by the message limit, in the browser: the bubble says "Not sent" with the
// server's reason and keeps the text; Retry, once the window has passed, stores it once.
import { beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import { openChatBetween, sendInChat, until, useServerAndTwoPeople, waitForTexts, type ChatSide } from "./chatInBrowser.ts";

describe.skipIf(browserTestsSkipped)("browser: a send past the message limit", () => {
  const stage = useServerAndTwoPeople({ server: { env: { RATE_LIMITS: "on", RATE_LIMIT_MESSAGES_PER_ACCOUNT: "2/2" } } });
  let chat: { giveawayId: string; giver: ChatSide; winner: ChatSide };

  beforeAll(async () => {
    chat = await openChatBetween(stage.server.url, { giver: stage.ann, winner: stage.bob }, { giver: "ann", winner: "bob" }, { title: "A kettle" });
  });

  it("shows the reason on the unsent message, keeps its text, and a retry stores it once", async () => {
    const ann = chat.giver.page;
    await sendInChat(ann, "one");
    await sendInChat(ann, "two");
    await ann.fill("#message-content", "three, too fast");
    await ann.click("#send-button");
    const failed = ann.locator('#messages .message.mine[data-state="failed"]', { hasText: "three, too fast" });
    await failed.waitFor();
    expect(await failed.locator(".delivery").textContent()).toMatch(/^Not sent: You are sending messages too fast: try again in \d+ seconds?\.$/);
    expect(await failed.locator(".bubble").textContent()).toBe("three, too fast");

    // Retry until the 2 s window has passed (each press before then is refused again, harmlessly).
    await until(
      "the retried message to be sent",
      async () => {
        const state = await failed.getAttribute("data-state").catch(() => null);
        if (state === "failed") await failed.locator("button.retry").click();
        return (await ann.locator('#messages .message[data-state="failed"], #messages .message[data-state="sending"]').count()) === 0;
      },
      (done) => done,
      15_000,
    );
    await waitForTexts(chat.winner.page, "bob", ["one", "two", "three, too fast"]);
    await waitForTexts(ann, "ann", ["one", "two", "three, too fast"]);
  });
});

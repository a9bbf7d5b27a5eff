// The send form as a person uses it: one message per press however fast they click, nothing
// blank sent, nothing sent while the chat is offline, and a failed send that says so and retries.
import { beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import {
  countSendRequests,
  openChatBetween,
  sendInChat,
  shownMessages,
  useServerAndTwoPeople,
  waitConnected,
  waitForTexts,
  watchConsoleErrors,
  type ChatSide,
} from "./chatInBrowser.ts";

describe.skipIf(browserTestsSkipped)("browser: the send form", () => {
  const stage = useServerAndTwoPeople();
  const consoleErrors: string[] = [];
  let chat: { giveawayId: string; giver: ChatSide; winner: ChatSide };
  const expected: string[] = [];

  beforeAll(async () => {
    watchConsoleErrors(stage.ann, consoleErrors);
    watchConsoleErrors(stage.bob, consoleErrors);
    chat = await openChatBetween(stage.server.url, { giver: stage.ann, winner: stage.bob }, { giver: "ann", winner: "bob" }, { title: "A lamp" });
  });

  it("sends once on a double click", async () => {
    const ann = chat.giver.page;
    const posts = countSendRequests(ann, chat.giveawayId);
    // A slow answer, as on a phone network: the second click lands while the first is on its way.
    const sendUrl = `**/messages/${chat.giveawayId}`;
    await stage.ann.context.route(sendUrl, async (route) => {
      if (route.request().method() === "POST") await new Promise((resolve) => setTimeout(resolve, 300));
      // The page may have moved on (the route unrouted or the page closed) while this answer waited.
      await route.continue().catch(() => undefined);
    });
    await ann.fill("#message-content", "Is the lamp still there?");
    await ann.dblclick("#send-button");
    await ann.click("#send-button");
    expected.push("Is the lamp still there?");
    await stage.ann.context.unroute(sendUrl);
    // A later message marks the point by which a second copy would have arrived.
    await sendInChat(ann, "(with the shade)");
    expected.push("(with the shade)");
    await waitForTexts(chat.winner.page, "bob", expected);
    await waitForTexts(ann, "ann", expected);
    expect(posts.count).toBe(2);
  });

  it("never sends a message of spaces, and says why", async () => {
    const ann = chat.giver.page;
    const posts = countSendRequests(ann, chat.giveawayId);
    await ann.fill("#message-content", "   \n  ");
    await ann.click("#send-button");
    await ann.locator("#message-error:not([hidden])", { hasText: /write/i }).waitFor();
    await ann.press("#message-content", "Enter");
    expect(posts.count).toBe(0);
    expect(await shownMessages(ann)).toHaveLength(expected.length);
    // Typing again clears the complaint.
    await ann.fill("#message-content", "");
    await ann.type("#message-content", "x");
    await ann.locator("#message-error").waitFor({ state: "hidden" });
    await ann.fill("#message-content", "");
  });

  it("does not send on Enter while the chat is offline, keeps the text, and sends it once back online", async () => {
    const bob = chat.winner.page;
    const posts = countSendRequests(bob, chat.giveawayId);
    await stage.bob.context.setOffline(true);
    await bob.locator('#connection-status[data-state="connecting"]').waitFor();
    // Ann's "online" is not shown as news while Bob's own connection is down.
    await bob.locator('#presence[data-online="unknown"]').waitFor();
    await bob.fill("#message-content", "I can come at 5.");
    await bob.press("#message-content", "Enter");
    await bob.locator("#message-error:not([hidden])", { hasText: /offline/i }).waitFor();
    expect(await bob.inputValue("#message-content")).toBe("I can come at 5.");
    expect(await bob.locator("#send-button").isDisabled()).toBe(true);
    expect(posts.count).toBe(0);

    await stage.bob.context.setOffline(false);
    await waitConnected(bob);
    await bob.locator('#presence[data-online="true"]', { hasText: "ann · online" }).waitFor();
    // Reconnects back off with jitter, capped so the page is back within a second of the server.
    expect(await bob.evaluate("htmx.config.sse.reconnectMaxDelay * (1 + htmx.config.sse.reconnectJitter)")).toBeLessThanOrEqual(1000);
    await bob.press("#message-content", "Enter");
    expected.push("I can come at 5.");
    await waitForTexts(chat.giver.page, "ann", expected);
    await waitForTexts(bob, "bob", expected);
    expect(posts.count).toBe(1);
  });

  it("shows a failed send on its bubble with a retry that stores it once", async () => {
    const ann = chat.giver.page;
    const sendUrl = `**/messages/${chat.giveawayId}`;
    await stage.ann.context.route(sendUrl, (route) => (route.request().method() === "POST" ? route.abort("connectionreset") : route.continue()));
    await ann.fill("#message-content", "See you at 5 then.");
    await ann.click("#send-button");
    const failed = ann.locator('#messages .message.mine[data-state="failed"]', { hasText: "See you at 5 then." });
    await failed.waitFor();
    expect(await failed.locator("button.retry").isVisible()).toBe(true);
    // The box is free for the next message meanwhile.
    expect(await ann.inputValue("#message-content")).toBe("");

    await stage.ann.context.unroute(sendUrl);
    await failed.locator("button.retry").click();
    expected.push("See you at 5 then.");
    await waitForTexts(chat.winner.page, "bob", expected);
    const annSees = await waitForTexts(ann, "ann", expected);
    expect(annSees.at(-1)?.mine).toBe(true);
    expect(await ann.locator('#messages .message[data-state="failed"], #messages .message[data-state="sending"]').count()).toBe(0);
    // Only the network cuts this test makes show in the console (the browser and htmx report a failed fetch).
    expect(consoleErrors.filter((e) => !/net::ERR|Failed to fetch/.test(e))).toEqual([]);
  });
});

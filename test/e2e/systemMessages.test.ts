// System messages in Chromium: they arrive live as centred notices with no sender and no tools,
// never join a person's group of messages, and the chat's scripts run on without an error.
import { describe, expect, it } from "vitest";
import { browserTestsSkipped } from "../support/browser.ts";
import { openChatBetween, sendInChat, sendThroughApi, sessionToken, useServerAndTwoPeople, waitForTexts, watchConsoleErrors } from "./chatInBrowser.ts";

const notices = ["The giver marked this item as reserved for you", "Pickup window: this week"];

describe.skipIf(browserTestsSkipped)("browser: system messages", () => {
  const stage = useServerAndTwoPeople();
  const consoleErrors: string[] = [];

  it("shows each notice live, apart from both people's messages, and the page keeps working", async () => {
    watchConsoleErrors(stage.ann, consoleErrors);
    watchConsoleErrors(stage.bob, consoleErrors);
    const { server } = stage;
    const chat = await openChatBetween(server.url, { giver: stage.ann, winner: stage.bob }, { giver: "ann", winner: "bob" }, { title: "A lamp" });
    const ann = chat.giver.page;
    const bob = chat.winner.page;
    await sendInChat(ann, "It is yours!");
    const { handoff } = server;
    for (const content of notices) {
      const context = { actorId: handoff.newId(), correlationId: handoff.newId(), causationId: handoff.newId() };
      const posted = await handoff.commands(chat.giveawayId, { type: "PostSystemMessage", messageId: handoff.newId(), content, now: new Date() }, context);
      expect(posted.ok).toBe(true);
    }
    await sendThroughApi(server.url, await sessionToken(stage.ann), chat.giveawayId, "Come any evening.");
    const texts = ["It is yours!", ...notices, "Come any evening."];
    await waitForTexts(bob, "bob", texts);
    await waitForTexts(ann, "ann", texts);

    for (const page of [ann, bob]) {
      const shown = await page.locator("#messages > .message").evaluateAll((elements) =>
        elements.map((element) => ({
          system: element.classList.contains("system"),
          grouped: element.classList.contains("continued") || element.classList.contains("followed"),
          tools: element.querySelectorAll(".message-actions, .reply-link, .retract-form").length,
          sender: element.querySelector(".meta .sender")?.textContent ?? null,
        })),
      );
      expect(shown).toEqual([
        { system: false, grouped: false, tools: expect.any(Number), sender: page === ann ? "You" : "ann" },
        { system: true, grouped: false, tools: 0, sender: null },
        { system: true, grouped: false, tools: 0, sender: null },
        { system: false, grouped: false, tools: expect.any(Number), sender: page === ann ? "You" : "ann" },
      ]);
    }
    // Still a working chat after the notices: bob answers and ann sees it.
    await sendInChat(bob, "Thanks, tomorrow at six.");
    await waitForTexts(ann, "ann", [...texts, "Thanks, tomorrow at six."]);
    expect(consoleErrors).toEqual([]);
  });
});

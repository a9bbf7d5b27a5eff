// A system message (SystemMessagePosted) in the fold: indexed like a message, so a retried post is
// recognised and no user can take its id, edit or remove it; never the winner's activity.
import { describe, expect, it } from "vitest";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import { foldGiveaway, type GiveawayState } from "../../src/domain/giveaway.ts";
import { given } from "./decider-spec.ts";
import { alice, at, created, drawn, entered, giver, message1, message2, messageSent, now } from "./fixtures.ts";

const systemPosted = (messageId: string, content: string): GiveawayEvent => ({
  type: "SystemMessagePosted",
  data: { messageId, content, postedAt: at },
});

const fold = (history: GiveawayEvent[]): GiveawayState => foldGiveaway(history.map((event, revision) => ({ event, revision })));
const drawnHistory = [created(), entered(alice), drawn(alice)];
const editWindowMs = 60 * 60_000;

describe("SystemMessagePosted in the fold", () => {
  it("is indexed by its id with no sender, at its revision", () => {
    const state = fold([...drawnHistory, systemPosted(message1, "Reserved for you")]);
    if (state.status !== "drawn") throw new Error("not drawn");
    expect(state.messages.get(message1)).toMatchObject({ senderId: null, revision: 3, sentAtMs: now.getTime() });
  });

  it("a second post with the same id is the first one (not stored twice)", () => {
    const state = fold([...drawnHistory, systemPosted(message1, "Reserved for you"), systemPosted(message1, "Reserved for you")]);
    if (state.status !== "drawn") throw new Error("not drawn");
    expect(state.messages.size).toBe(1);
    expect(state.messages.get(message1)?.revision).toBe(3);
  });

  it("never counts as the winner's activity (a winner's own message does)", () => {
    const posted = fold([...drawnHistory, systemPosted(message1, "Reserved for you")]);
    if (posted.status !== "drawn") throw new Error("not drawn");
    expect(posted.pickup.winnerActiveAt).toBeUndefined();
    const spoke = fold([...drawnHistory, systemPosted(message1, "Reserved for you"), messageSent(message2, alice, "thanks")]);
    if (spoke.status !== "drawn") throw new Error("not drawn");
    expect(spoke.pickup.winnerActiveAt).toBe(at);
  });

  it("before the draw it changes nothing", () => {
    const open = [created(), entered(alice)];
    expect(fold([...open, systemPosted(message1, "too early")])).toEqual(fold(open));
  });
});

describe("what participants may do with a system message", () => {
  const history = [...drawnHistory, systemPosted(message1, "Reserved for you")];

  it("its id cannot be reused by a participant's message, even with the same text", () => {
    given(history)
      .when({ type: "SendMessage", messageId: message1, senderId: giver, content: "Reserved for you", now })
      .then("message_id_conflict");
  });

  it("nobody may edit or remove it", () => {
    for (const userId of [giver, alice]) {
      given(history).when({ type: "EditMessage", messageId: message1, userId, content: "mine now", now, editWindowMs }).then("not_sender");
      given(history).when({ type: "RetractMessage", messageId: message1, userId, now, editWindowMs }).then("not_sender");
    }
  });

  it("may be quoted by a reply", () => {
    given(history)
      .when({ type: "SendMessage", messageId: message2, senderId: alice, content: "Thanks!", replyTo: message1, now })
      .then([{ type: "MessageSent", data: { messageId: message2, senderId: alice, content: "Thanks!", sentAt: at, replyTo: message1 } }]);
  });
});

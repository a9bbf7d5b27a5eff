// The client's fold of a conversation: one entry per message id, in revision order, newest version wins.
import { describe, expect, it } from "vitest";
import { ConversationState } from "../../client/conversationState.ts";
import { ChatMessageSchema, type ChatMessage } from "../../client/wireFormat.ts";

function message(id: string, revision: number, content = id): ChatMessage {
  return ChatMessageSchema.parse({ id, giveawayId: "g", senderId: "ann", senderName: "ann", content, sentAt: "2026-01-01T00:00:00.000Z", revision });
}

describe("the client's conversation state", () => {
  it("orders messages by revision whatever order they arrive in, and keeps each id once", () => {
    const state = new ConversationState();
    for (const [id, revision] of [["c", 9], ["a", 3], ["b", 5], ["a", 3]] as const) state.putMessage(message(id, revision), revision);
    expect(state.messages.map((m) => m.id)).toEqual(["a", "b", "c"]);
  });

  it("ignores an older version arriving after a newer one (a late POST answer after the stream's edit)", () => {
    const state = new ConversationState();
    state.putMessage(message("a", 3, "edited"), 7);
    expect(state.putMessage(message("a", 3, "original"), 3)).toBe(false);
    expect(state.messages[0]!.content).toBe("edited");
  });

  it("applies a reaction once however often it is replayed, and takes it back", () => {
    const state = new ConversationState();
    state.putMessage(message("a", 3), 3);
    state.react("a", "bob", "👍", true, 4);
    expect(state.react("a", "bob", "👍", true, 4)).toBe(false);
    expect(state.messages[0]!.reactions).toEqual({ "👍": ["bob"] });
    state.react("a", "bob", "👍", false, 5);
    expect(state.messages[0]!.reactions).toEqual({});
  });

  it("returns the same array until something changes", () => {
    const state = new ConversationState();
    state.putMessage(message("a", 3), 3);
    const first = state.messages;
    expect(state.messages).toBe(first);
    state.putMessage(message("b", 4), 4);
    expect(state.messages).not.toBe(first);
  });

  it("accepts a system message, which has no sender", () => {
    const parsed = ChatMessageSchema.safeParse({
      id: "s", giveawayId: "g", senderId: null, senderName: null, kind: "system", content: "The giver marked this item as reserved for you",
      sentAt: "2026-01-01T00:00:00.000Z", revision: 4, replyTo: null, attachments: [], reactions: {}, editedAt: null, retractedAt: null,
    });
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({ senderId: null, kind: "system" });
  });
});

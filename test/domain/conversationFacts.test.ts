// Reactions, edits, retractions, replies, attachments and mutes, decided by the pure domain.
import { describe, expect, it } from "vitest";
import { parseGiveawayEvent, type GiveawayEvent } from "../../src/domain/events.ts";
import { defaultEditWindowMs } from "../../src/domain/conversationDecide.ts";
import { given } from "./decider-spec.ts";
import { alice, at, drawnWithAliceWinning, giver, message1, message2, messageSent, now, stranger } from "./fixtures.ts";

const attachment1 = "7e1d0c2b-0001-4aaa-9bbb-000000000001";
const sha = "a".repeat(64);
const later = (ms: number) => new Date(now.getTime() + ms);
const withMessage = (): GiveawayEvent[] => [...drawnWithAliceWinning(), messageSent(message1, alice, "Saturday?")];

const react = (userId: string, emoji: string, reacted = true, when = now) => ({ type: "ReactToMessage", messageId: message1, userId, emoji, reacted, now: when }) as const;
const reacted = (userId: string, emoji: string): GiveawayEvent => ({ type: "ReactionAdded", data: { messageId: message1, userId, emoji, reactedAt: at } });
const unreacted = (userId: string, emoji: string): GiveawayEvent => ({ type: "ReactionRemoved", data: { messageId: message1, userId, emoji, removedAt: at } });
const edit = (userId: string, content: string, when = now) =>
  ({ type: "EditMessage", messageId: message1, userId, content, now: when, editWindowMs: defaultEditWindowMs }) as const;
const edited = (content: string, when = now): GiveawayEvent => ({ type: "MessageEdited", data: { messageId: message1, editorId: alice, content, editedAt: when.toISOString() } });
const retract = (userId: string, when = now) => ({ type: "RetractMessage", messageId: message1, userId, now: when, editWindowMs: defaultEditWindowMs }) as const;
const retracted = (when = now): GiveawayEvent => ({ type: "MessageRetracted", data: { messageId: message1, retractedBy: alice, retractedAt: when.toISOString() } });
const upload = (uploaderId: string) =>
  ({ type: "UploadAttachment", attachmentId: attachment1, uploaderId, sha256: sha, contentType: "image/png", size: 42, now }) as const;
const uploaded = (uploaderId: string): GiveawayEvent => ({
  type: "AttachmentUploaded",
  data: { attachmentId: attachment1, uploaderId, sha256: sha, contentType: "image/png", size: 42, uploadedAt: at },
});
const send = (senderId: string, extra: { replyTo?: string; attachmentIds?: string[] }) =>
  ({ type: "SendMessage", messageId: message2, senderId, content: "Yes", now, ...extra }) as const;

describe("reactions", () => {
  it("adds a reaction from the set for either participant, with or without the emoji selector", () => {
    given(withMessage()).when(react(giver, "👍")).then([reacted(giver, "👍")]);
    given(withMessage()).when(react(alice, "\u2764")).then([reacted(alice, "❤️")]);
  });

  it("is idempotent: adding a standing reaction or removing a missing one changes nothing", () => {
    given([...withMessage(), reacted(giver, "👍")]).when(react(giver, "👍")).then([]);
    given(withMessage()).when(react(giver, "👍", false)).then([]);
    given([...withMessage(), reacted(giver, "👍"), unreacted(giver, "👍")]).when(react(giver, "👍", false)).then([]);
  });

  it("removes a standing reaction; each user's reactions are their own", () => {
    given([...withMessage(), reacted(giver, "👍")]).when(react(giver, "👍", false)).then([unreacted(giver, "👍")]);
    given([...withMessage(), reacted(giver, "👍")]).when(react(alice, "👍")).then([reacted(alice, "👍")]);
  });

  it("refuses an emoji outside the set, an unknown or removed message, and outsiders", () => {
    given(withMessage()).when(react(giver, "🦄")).then("invalid_emoji");
    given(withMessage()).when(react(giver, "<b>")).then("invalid_emoji");
    given(drawnWithAliceWinning()).when(react(giver, "👍")).then("message_not_found");
    given([...withMessage(), retracted()]).when(react(giver, "👍")).then("message_retracted");
    given(withMessage()).when(react(stranger, "👍")).then("not_participant");
  });
});

describe("edit and retract", () => {
  it("lets the sender edit within the window; the same text again changes nothing", () => {
    given(withMessage()).when(edit(alice, "  Sunday?  ", later(60_000))).then([edited("Sunday?", later(60_000))]);
    given([...withMessage(), edited("Sunday?")]).when(edit(alice, "Sunday?")).then([]);
    given(withMessage()).when(edit(alice, "Saturday?")).then([]);
  });

  it("refuses others, late edits, blank text and removed messages", () => {
    given(withMessage()).when(edit(giver, "Sunday?")).then("not_sender");
    given(withMessage()).when(edit(alice, "Sunday?", later(defaultEditWindowMs + 1))).then("edit_window_closed");
    given(withMessage()).when(edit(alice, "   ")).then("invalid_content");
    given([...withMessage(), retracted()]).when(edit(alice, "Sunday?")).then("message_retracted");
    given(withMessage()).when({ ...edit(alice, "x"), messageId: message2 }).then("message_not_found");
  });

  it("the window is the command's: a configured shorter window closes sooner", () => {
    given(withMessage()).when({ ...edit(alice, "Sunday?", later(61_000)), editWindowMs: 60_000 }).then("edit_window_closed");
  });

  it("lets the sender retract within the window, once; a second retract changes nothing", () => {
    given(withMessage()).when(retract(alice, later(1000))).then([retracted(later(1000))]);
    given([...withMessage(), retracted()]).when(retract(alice)).then([]);
    given(withMessage()).when(retract(giver)).then("not_sender");
    given(withMessage()).when(retract(alice, later(defaultEditWindowMs + 1))).then("edit_window_closed");
  });

  it("a retry of the original send after an edit is still recognised as the same message", () => {
    given([...withMessage(), edited("Sunday?")]).when({ type: "SendMessage", messageId: message1, senderId: alice, content: "Saturday?", now }).then([]);
  });
});

describe("replies and attachments", () => {
  it("a reply names a message of this conversation", () => {
    given(withMessage())
      .when(send(giver, { replyTo: message1 }))
      .then([{ type: "MessageSent", data: { messageId: message2, senderId: giver, content: "Yes", sentAt: at, replyTo: message1 } }]);
    given(withMessage()).when(send(giver, { replyTo: message2 })).then("invalid_reply_to");
  });

  it("an upload is recorded by reference (hash, type, size), for participants only", () => {
    given(drawnWithAliceWinning()).when(upload(giver)).then([uploaded(giver)]);
    given([...drawnWithAliceWinning(), uploaded(giver)]).when(upload(giver)).then([]);
    given(drawnWithAliceWinning()).when(upload(stranger)).then("not_participant");
  });

  it("a message carries only its sender's uploads in this conversation, each once", () => {
    const history = [...withMessage(), uploaded(giver)];
    given(history)
      .when(send(giver, { attachmentIds: [attachment1] }))
      .then([{ type: "MessageSent", data: { messageId: message2, senderId: giver, content: "Yes", sentAt: at, attachmentIds: [attachment1] } }]);
    given(history).when(send(alice, { attachmentIds: [attachment1] })).then("invalid_attachment");
    given(history).when(send(giver, { attachmentIds: [attachment1, attachment1] })).then("invalid_attachment");
    given(withMessage()).when(send(giver, { attachmentIds: [attachment1] })).then("invalid_attachment");
  });
});

describe("mute", () => {
  const mute = (muted: boolean) => ({ type: "MuteConversation", userId: giver, muted, now }) as const;
  it("mutes and unmutes, idempotently", () => {
    given(drawnWithAliceWinning()).when(mute(true)).then([{ type: "ConversationMuted", data: { userId: giver, mutedAt: at } }]);
    given([...drawnWithAliceWinning(), { type: "ConversationMuted", data: { userId: giver, mutedAt: at } }]).when(mute(true)).then([]);
    given(drawnWithAliceWinning()).when(mute(false)).then([]);
    given([...drawnWithAliceWinning(), { type: "ConversationMuted", data: { userId: giver, mutedAt: at } }])
      .when(mute(false))
      .then([{ type: "ConversationUnmuted", data: { userId: giver, unmutedAt: at } }]);
  });
});

describe("the catalogue", () => {
  it("a MessageSent written before replies and attachments still loads, unchanged", () => {
    const old = { messageId: message1, senderId: alice, content: "hi", sentAt: at };
    expect(parseGiveawayEvent("MessageSent", old)).toEqual({ type: "MessageSent", data: old });
  });
  it("refuses a reference whose hash is not hex SHA-256", () => {
    expect(() => parseGiveawayEvent("AttachmentUploaded", { ...(uploaded(giver).data as object), sha256: "xyz" })).toThrow(/AttachmentUploaded/);
  });
});

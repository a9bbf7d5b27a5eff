// Commands on a conversation's messages after they are sent: react, edit, retract; attachments and
// mutes. Pure like giveawayDecide.ts: time and ids come in with the command.
import { decided, refused } from "./decision.ts";
import type { Decision } from "./decision.ts";
import { reactionEmoji, type ReactionEmoji } from "./conversationEvents.ts";
import { chatStateOf, reactionKey } from "./conversationEvolve.ts";
import { assertNever, refuse, type DomainError } from "./errors.ts";
import type { GiveawayEvent } from "./events.ts";
import type { DrawnGiveaway, GiveawayState } from "./giveaway.ts";
import { conversationFor } from "./conversationReaders.ts";
import { moderationStateOf } from "./moderationEvolve.ts";
import { contentMaxLength } from "./giveawayLimits.ts";
import { contentDigest, type StoredMessage } from "./messageIndex.ts";

/** How long after sending a message its sender may edit or retract it, unless configured. */
export const defaultEditWindowMs = 15 * 60 * 1000;
export const maxAttachmentsPerMessage = 10;

export interface ReactToMessage {
  readonly type: "ReactToMessage";
  readonly messageId: string;
  readonly userId: string;
  readonly emoji: string;
  /** true: add the reaction; false: take it back. */
  readonly reacted: boolean;
  readonly now: Date;
}

export interface EditMessage {
  readonly type: "EditMessage";
  readonly messageId: string;
  readonly userId: string;
  readonly content: string;
  readonly now: Date;
  readonly editWindowMs: number;
}

export interface RetractMessage {
  readonly type: "RetractMessage";
  readonly messageId: string;
  readonly userId: string;
  readonly now: Date;
  readonly editWindowMs: number;
}

export interface UploadAttachment {
  readonly type: "UploadAttachment";
  readonly attachmentId: string;
  readonly uploaderId: string;
  readonly sha256: string;
  readonly contentType: string;
  readonly size: number;
  readonly now: Date;
}

export interface MuteConversation {
  readonly type: "MuteConversation";
  readonly userId: string;
  readonly muted: boolean;
  readonly now: Date;
}

export type ChatCommand = ReactToMessage | EditMessage | RetractMessage | UploadAttachment | MuteConversation;

const chatCommandTypes: ReadonlySet<string> = new Set<ChatCommand["type"]>([
  "ReactToMessage",
  "EditMessage",
  "RetractMessage",
  "UploadAttachment",
  "MuteConversation",
]);

export function isChatCommand(command: { type: string }): command is ChatCommand {
  return chatCommandTypes.has(command.type);
}

/** The set's emoji for what a client sent, with or without the emoji presentation selector. */
export function canonicalEmoji(text: string): ReactionEmoji | undefined {
  const bare = text.replace(/\uFE0F/g, "");
  return reactionEmoji.find((emoji) => emoji.replace(/\uFE0F/g, "") === bare);
}

export function decideChat(command: ChatCommand, state: GiveawayState): Decision<GiveawayEvent> {
  const userId = command.type === "UploadAttachment" ? command.uploaderId : command.userId;
  const access = conversationFor(state, userId, command.now);
  if (!access.ok) return access;
  // Everything here writes: a read-only party (a replaced winner, a closed conversation) may not.
  if (!access.canWrite) {
    if (access.role === "former_winner") return refused("not_participant", "a redraw chose another winner: this conversation can still be read");
    return refused("conversation_read_only", "this conversation is closed: it can still be read");
  }
  const conversation = access.conversation;
  const at = command.now.toISOString();
  switch (command.type) {
    case "ReactToMessage": {
      const emoji = canonicalEmoji(command.emoji);
      if (!emoji) return refused("invalid_emoji", `react with one of ${reactionEmoji.join(" ")}`);
      const found = liveMessage(conversation, command.messageId);
      if (!found.ok) return found;
      const { messageId } = command;
      // Idempotent both ways: adding a reaction that stands, or removing one that does not, changes nothing.
      const stands = chatStateOf(conversation).reactions.has(reactionKey(messageId, userId, emoji));
      if (stands === command.reacted) return decided([]);
      return decided([
        command.reacted
          ? { type: "ReactionAdded", data: { messageId, userId, emoji, reactedAt: at } }
          : { type: "ReactionRemoved", data: { messageId, userId, emoji, removedAt: at } },
      ]);
    }
    case "EditMessage": {
      const found = ownMessageInWindow(conversation, command);
      if (!found.ok) return found;
      const content = command.content.trim();
      if (content.length < 1 || content.length > contentMaxLength) {
        return refused("invalid_content", `a message must be 1 to ${contentMaxLength} characters`);
      }
      const current = chatStateOf(conversation).edits.get(command.messageId) ?? found.message.contentDigest;
      if (contentDigest(content) === current) return decided([]);
      return decided([{ type: "MessageEdited", data: { messageId: command.messageId, editorId: userId, content, editedAt: at } }]);
    }
    case "RetractMessage": {
      const message = conversation.messages.get(command.messageId);
      // Retracting twice is not an error: the message is already gone.
      if (message?.senderId === userId && chatStateOf(conversation).retracted.has(command.messageId)) return decided([]);
      const found = ownMessageInWindow(conversation, command);
      if (!found.ok) return found;
      return decided([{ type: "MessageRetracted", data: { messageId: command.messageId, retractedBy: userId, retractedAt: at } }]);
    }
    case "UploadAttachment": {
      const { attachmentId, sha256, contentType, size } = command;
      const existing = chatStateOf(conversation).attachments.get(attachmentId);
      if (existing) {
        if (existing.uploaderId === userId && existing.sha256 === sha256) return decided([]);
        return refused("invalid_attachment", "another attachment already has this id");
      }
      return decided([{ type: "AttachmentUploaded", data: { attachmentId, uploaderId: userId, sha256, contentType, size, uploadedAt: at } }]);
    }
    case "MuteConversation": {
      if (chatStateOf(conversation).muted.has(userId) === command.muted) return decided([]);
      return decided([
        command.muted ? { type: "ConversationMuted", data: { userId, mutedAt: at } } : { type: "ConversationUnmuted", data: { userId, unmutedAt: at } },
      ]);
    }
    default:
      return assertNever(command);
  }
}

type Found = { ok: true; message: StoredMessage } | { ok: false; error: DomainError };

function liveMessage(conversation: DrawnGiveaway, messageId: string): Found {
  const message = conversation.messages.get(messageId);
  if (!message) return { ok: false, error: refuse("message_not_found", "no such message in this conversation") };
  if (chatStateOf(conversation).retracted.has(messageId)) return { ok: false, error: refuse("message_retracted", "the message was removed") };
  // Hidden by a moderator: as removed for everyone, its sender included (no edit brings it back).
  if (moderationStateOf(conversation).hidden.has(messageId)) return { ok: false, error: refuse("message_retracted", "a moderator removed the message") };
  return { ok: true, message };
}

function ownMessageInWindow(conversation: DrawnGiveaway, command: EditMessage | RetractMessage): Found {
  const found = liveMessage(conversation, command.messageId);
  if (!found.ok) return found;
  if (found.message.senderId !== command.userId) return { ok: false, error: refuse("not_sender", "only its sender can change a message") };
  // A message stored without its time (none are, but a fold must not guess) is past its window.
  const age = command.now.getTime() - (found.message.sentAtMs ?? Number.NEGATIVE_INFINITY);
  if (age > command.editWindowMs) {
    const minutes = Math.round(command.editWindowMs / 60_000);
    return { ok: false, error: refuse("edit_window_closed", `a message can be changed for ${minutes} minutes after it is sent`) };
  }
  return found;
}

interface MessageLinks {
  readonly replyTo?: string | undefined;
  readonly attachmentIds?: readonly string[] | undefined;
}

/** A quote must name a message of this conversation; attachments must be the sender's uploads here. */
export function messageLinksProblem(command: MessageLinks & { senderId: string }, conversation: DrawnGiveaway): DomainError | undefined {
  if (command.replyTo !== undefined && !conversation.messages.has(command.replyTo)) {
    return refuse("invalid_reply_to", "replyTo must name a message of this conversation");
  }
  const ids = command.attachmentIds ?? [];
  if (ids.length > maxAttachmentsPerMessage) return refuse("invalid_attachment", `at most ${maxAttachmentsPerMessage} attachments per message`);
  if (new Set(ids).size !== ids.length) return refuse("invalid_attachment", "an attachment is named twice");
  const uploads = chatStateOf(conversation).attachments;
  for (const id of ids) {
    if (uploads.get(id)?.uploaderId !== command.senderId) {
      return refuse("invalid_attachment", `attachment ${id} was not uploaded by the sender to this conversation`);
    }
  }
  return undefined;
}

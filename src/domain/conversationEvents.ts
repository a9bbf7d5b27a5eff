// The conversation's later facts (issue #10): reactions, edits, retractions, attachments, mutes.
// They live in the giveaway's stream like MessageSent; events.ts registers them. Schemas only grow.
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** The emoji one may react with; a small fixed set, so counts stay readable. */
export const reactionEmoji = ["👍", "❤️", "😂", "😮", "😢", "🙏"] as const;
export type ReactionEmoji = (typeof reactionEmoji)[number];

export const ReactionAddedSchema = z.object({ messageId: id, userId: id, emoji: z.string().min(1).max(16), reactedAt: instant });
export const ReactionRemovedSchema = z.object({ messageId: id, userId: id, emoji: z.string().min(1).max(16), removedAt: instant });

/** A new version of a message's text; earlier versions stay in the stream. */
export const MessageEditedSchema = z.object({ messageId: id, editorId: id, content: z.string().trim().min(1).max(2000), editedAt: instant });

/** The message is withdrawn: shown as "message removed"; its versions stay in the stream (audit). */
export const MessageRetractedSchema = z.object({ messageId: id, retractedBy: id, retractedAt: instant });

/** The bytes live in the blob store under their SHA-256; the chain covers this reference. */
export const AttachmentUploadedSchema = z.object({
  attachmentId: id,
  uploaderId: id,
  sha256: sha256Hex,
  contentType: z.string().min(1).max(100),
  size: z.int().min(1),
  uploadedAt: instant,
});

export const ConversationMutedSchema = z.object({ userId: id, mutedAt: instant });
export const ConversationUnmutedSchema = z.object({ userId: id, unmutedAt: instant });

export type ReactionAdded = z.output<typeof ReactionAddedSchema>;
export type ReactionRemoved = z.output<typeof ReactionRemovedSchema>;
export type MessageEdited = z.output<typeof MessageEditedSchema>;
export type MessageRetracted = z.output<typeof MessageRetractedSchema>;
export type AttachmentUploaded = z.output<typeof AttachmentUploadedSchema>;
export type ConversationMuted = z.output<typeof ConversationMutedSchema>;
export type ConversationUnmuted = z.output<typeof ConversationUnmutedSchema>;

/** The registration table: a new conversation fact is one line here (events.ts adds the family to the giveaway's). */
export const chatEvents = eventFamily("conversation", {
  ReactionAdded: ReactionAddedSchema,
  ReactionRemoved: ReactionRemovedSchema,
  MessageEdited: MessageEditedSchema,
  MessageRetracted: MessageRetractedSchema,
  AttachmentUploaded: AttachmentUploadedSchema,
  ConversationMuted: ConversationMutedSchema,
  ConversationUnmuted: ConversationUnmutedSchema,
});

export type ChatEvent = EventsOf<typeof chatEvents.schemas>;
export type ChatEventType = ChatEvent["type"];

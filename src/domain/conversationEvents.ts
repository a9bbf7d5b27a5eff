// The conversation's later facts (issue #10): reactions, edits, retractions, attachments, mutes.
// They live in the giveaway's stream like MessageSent; events.ts registers them. Schemas only grow.
import { z } from "zod";
import { assertNever } from "./errors.ts";

const id = z.uuid();
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

export type ChatEvent =
  | { type: "ReactionAdded"; data: ReactionAdded }
  | { type: "ReactionRemoved"; data: ReactionRemoved }
  | { type: "MessageEdited"; data: MessageEdited }
  | { type: "MessageRetracted"; data: MessageRetracted }
  | { type: "AttachmentUploaded"; data: AttachmentUploaded }
  | { type: "ConversationMuted"; data: ConversationMuted }
  | { type: "ConversationUnmuted"; data: ConversationUnmuted };

export type ChatEventType = ChatEvent["type"];

export const chatEventTypes: ReadonlySet<string> = new Set<ChatEventType>([
  "ReactionAdded",
  "ReactionRemoved",
  "MessageEdited",
  "MessageRetracted",
  "AttachmentUploaded",
  "ConversationMuted",
  "ConversationUnmuted",
]);

export function isChatEventType(type: string): type is ChatEventType {
  return chatEventTypes.has(type);
}

/** Throws on data that does not fit the type's schema. */
export function parseChatEvent(type: ChatEventType, data: unknown): ChatEvent {
  switch (type) {
    case "ReactionAdded":
      return { type, data: parse(ReactionAddedSchema, type, data) };
    case "ReactionRemoved":
      return { type, data: parse(ReactionRemovedSchema, type, data) };
    case "MessageEdited":
      return { type, data: parse(MessageEditedSchema, type, data) };
    case "MessageRetracted":
      return { type, data: parse(MessageRetractedSchema, type, data) };
    case "AttachmentUploaded":
      return { type, data: parse(AttachmentUploadedSchema, type, data) };
    case "ConversationMuted":
      return { type, data: parse(ConversationMutedSchema, type, data) };
    case "ConversationUnmuted":
      return { type, data: parse(ConversationUnmutedSchema, type, data) };
    default:
      return assertNever(type);
  }
}

function parse<S extends z.ZodType>(schema: S, type: string, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new Error(`invalid ${type} event: ${z.prettifyError(result.error)}`);
  return result.data;
}

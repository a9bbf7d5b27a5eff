// What handoff's JSON API and conversation stream send, checked at the client's edge (docs/api.md).
// zod/mini keeps the browser bundle small; loose objects keep fields a newer server adds.
import * as z from "zod/mini";

export const ChatMessageSchema = z.looseObject({
  id: z.string(),
  giveawayId: z.string(),
  /** null for a system message (`kind: "system"`), which has no sender. */
  senderId: z.nullable(z.string()),
  senderName: z.nullish(z.string()),
  kind: z.optional(z.string()),
  /** null once a moderator hid it (`hiddenByModerator`): read as "". */
  content: z.pipe(z.nullable(z.string()), z.transform((content: string | null) => content ?? "")),
  sentAt: z.string(),
  /** The message's position in the giveaway's stream: the order of the conversation. */
  revision: z.number(),
  replyTo: z.nullish(z.string()),
  attachments: z._default(z.array(z.looseObject({ id: z.string(), contentType: z.string(), size: z.number(), sha256: z.string() })), []),
  reactions: z._default(z.record(z.string(), z.array(z.string())), {}),
  editedAt: z.nullish(z.string()),
  retractedAt: z.nullish(z.string()),
  /** Hidden by a moderator: shown as "removed by a moderator". */
  hiddenByModerator: z._default(z.boolean(), false),
});
export type ChatMessage = z.output<typeof ChatMessageSchema>;

export const ReactionFrameSchema = z.object({ messageId: z.string(), userId: z.string(), emoji: z.string(), reacted: z.boolean() });
export const ReadFrameSchema = z.object({ userId: z.string(), upToRevision: z.number() });

export const PresenceSchema = z.object({ userId: z.string(), online: z.boolean(), lastSeenAt: z.nullable(z.string()) });
export type Presence = z.output<typeof PresenceSchema>;

export const TypingSchema = z.object({ userId: z.string(), username: z.nullish(z.string()), until: z.string() });
export type Typing = z.output<typeof TypingSchema>;

export const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

// One event of a giveaway stream as a line of the replayed conversation (pure).
import { parseGiveawayEvent } from "../domain/events.ts";
import { assertNever } from "../domain/errors.ts";
import { pickupActor, pickupUserIds } from "./pickupAudit.ts";
import { isPickupEvent, type PickupEvent } from "../domain/pickupEvents.ts";
import type { RecordedEvent } from "../eventstore/port.ts";
import type { MessageView } from "../projections/conversationProjection.ts";

export type AuditLineDetail =
  | { type: "GiveawayCreated"; title: string }
  | { type: "EntrySubmitted" }
  | { type: "DrawConducted"; winnerId: string }
  | { type: "MessageSent"; messageId: string; content: string; sentAt: string; replyTo?: string | undefined; attachmentIds?: string[] | undefined }
  | { type: "ConversationRead"; upToRevision: number }
  /** Posted by the platform's backend: nobody sent it (whoId undefined). */
  | { type: "SystemMessagePosted"; messageId: string; content: string; postedAt: string }
  | { type: "Pickup"; event: PickupEvent }
  | { type: "ReactionAdded" | "ReactionRemoved"; messageId: string; emoji: string }
  /** Every version of a message: the edit's full text. */
  | { type: "MessageEdited"; messageId: string; content: string; editedAt: string }
  | { type: "MessageRetracted"; messageId: string; retractedAt: string }
  | { type: "AttachmentUploaded"; attachmentId: string; sha256: string; contentType: string; size: number }
  | { type: "ConversationMuted" | "ConversationUnmuted" }
  /** The platform's edit: only what changed. */
  | { type: "GiveawayDetailsChanged"; title?: string | undefined; description?: string | undefined; giverId?: string | undefined }
  | { type: "EntryWithdrawn" }
  /** Stored data that no longer fits the catalogue: shown, never folded. */
  | { type: "Unreadable"; storedType: string; problem: string };

export interface AuditLine {
  revision: number;
  eventId: string;
  /** When the store recorded it (ISO). */
  recordedAt: string;
  /** Whom the line is about: the sender, the entrant, the reader, the giver who created or drew. */
  whoId: string | undefined;
  detail: AuditLineDetail;
}

function actorOf(metadata: unknown): string | undefined {
  const actorId = (metadata as { actorId?: unknown } | null)?.actorId;
  return typeof actorId === "string" ? actorId : undefined;
}

export function toAuditLine(recorded: RecordedEvent): AuditLine {
  const base = { revision: Number(recorded.revision), eventId: recorded.id, recordedAt: recorded.created.toISOString() };
  let event;
  try {
    event = parseGiveawayEvent(recorded.type, recorded.data);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return { ...base, whoId: actorOf(recorded.metadata), detail: { type: "Unreadable", storedType: recorded.type, problem } };
  }
  if (isPickupEvent(event)) return { ...base, whoId: pickupActor(event) ?? actorOf(recorded.metadata), detail: { type: "Pickup", event } };
  switch (event.type) {
    case "GiveawayCreated":
      return { ...base, whoId: event.data.giverId, detail: { type: event.type, title: event.data.title } };
    case "EntrySubmitted":
      return { ...base, whoId: event.data.userId, detail: { type: event.type } };
    case "DrawConducted":
      return { ...base, whoId: actorOf(recorded.metadata), detail: { type: event.type, winnerId: event.data.winnerId } };
    case "MessageSent": {
      const { messageId, senderId, content, sentAt, replyTo, attachmentIds } = event.data;
      return { ...base, whoId: senderId, detail: { type: event.type, messageId, content, sentAt, replyTo, attachmentIds } };
    }
    case "ConversationRead":
      return { ...base, whoId: event.data.userId, detail: { type: event.type, upToRevision: event.data.upToRevision } };
    case "SystemMessagePosted": {
      const { messageId, content, postedAt } = event.data;
      return { ...base, whoId: undefined, detail: { type: event.type, messageId, content, postedAt } };
    }
    case "ReactionAdded":
    case "ReactionRemoved":
      return { ...base, whoId: event.data.userId, detail: { type: event.type, messageId: event.data.messageId, emoji: event.data.emoji } };
    case "MessageEdited": {
      const { messageId, editorId, content, editedAt } = event.data;
      return { ...base, whoId: editorId, detail: { type: event.type, messageId, content, editedAt } };
    }
    case "MessageRetracted": {
      const { messageId, retractedBy, retractedAt } = event.data;
      return { ...base, whoId: retractedBy, detail: { type: event.type, messageId, retractedAt } };
    }
    case "AttachmentUploaded": {
      const { attachmentId, uploaderId, sha256, contentType, size } = event.data;
      return { ...base, whoId: uploaderId, detail: { type: event.type, attachmentId, sha256, contentType, size } };
    }
    case "ConversationMuted":
    case "ConversationUnmuted":
      return { ...base, whoId: event.data.userId, detail: { type: event.type } };
    case "GiveawayDetailsChanged": {
      const { title, description, giverId } = event.data;
      return { ...base, whoId: actorOf(recorded.metadata), detail: { type: event.type, title, description, giverId } };
    }
    case "EntryWithdrawn":
      return { ...base, whoId: event.data.userId, detail: { type: event.type } };
    default:
      return assertNever(event);
  }
}

/** Every user a line names, so their names can be looked up once. */
export function userIdsOf(line: AuditLine): string[] {
  const ids = line.whoId === undefined ? [] : [line.whoId];
  if (line.detail.type === "DrawConducted") ids.push(line.detail.winnerId);
  if (line.detail.type === "GiveawayDetailsChanged" && line.detail.giverId !== undefined) ids.push(line.detail.giverId);
  if (line.detail.type === "Pickup") ids.push(...pickupUserIds(line.detail.event));
  return ids;
}

/** The message a line holds as first sent (see messageReplay.ts for what happened to it since); undefined for other events. */
export function messageOf(line: AuditLine, giveawayId: string, nameOf: (userId: string) => string | undefined): MessageView | undefined {
  const { detail } = line;
  if (detail.type !== "MessageSent" && detail.type !== "SystemMessagePosted") return undefined;
  const sent = detail.type === "MessageSent" ? detail : undefined;
  const senderId = sent ? line.whoId! : null;
  return {
    id: detail.messageId,
    giveawayId,
    senderId,
    senderName: senderId === null ? null : (nameOf(senderId) ?? "?"),
    kind: sent ? "user" : "system",
    content: detail.content,
    sentAt: detail.type === "MessageSent" ? detail.sentAt : detail.postedAt,
    revision: line.revision,
    replyTo: sent?.replyTo ?? null,
    attachments: [],
    reactions: {},
    editedAt: null,
    retractedAt: null,
  };
}

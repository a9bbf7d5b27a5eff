// One event of a giveaway stream as a line of the replayed conversation, less what the reader may
// not see (auditRedaction.ts) (pure).
import { parseGiveawayEvent } from "../domain/events.ts";
import { assertNever } from "../domain/errors.ts";
import { pickupActor, pickupUserIds, type ShownPickupEvent } from "./pickupAudit.ts";
import { isPickupEvent } from "../domain/pickupEvents.ts";
import { eventShown, everything, type MessageFate, type Sight } from "./auditRedaction.ts";
import type { RecordedEvent } from "../eventstore/port.ts";
import type { MessageView } from "../projections/conversationProjection.ts";

export type AuditLineDetail =
  | { type: "GiveawayCreated"; title: string }
  | { type: "EntrySubmitted" }
  /** winnerId null: withheld from this reader. */
  | { type: "DrawConducted"; winnerId: string | null }
  /** content null: removed, and withheld from this reader (`withheld` says how and when). */
  | { type: "MessageSent"; messageId: string; content: string | null; withheld?: MessageFate; sentAt: string; replyTo?: string | undefined; attachmentIds?: string[] | undefined }
  | { type: "ConversationRead"; upToRevision: number }
  /** Posted by the platform's backend: nobody sent it (whoId undefined). */
  | { type: "SystemMessagePosted"; messageId: string; content: string; postedAt: string }
  | { type: "Pickup"; event: ShownPickupEvent }
  | { type: "ReactionAdded" | "ReactionRemoved"; messageId: string; emoji: string }
  /** Every version of a message: the edit's full text (null: withheld, as for MessageSent). */
  | { type: "MessageEdited"; messageId: string; content: string | null; withheld?: MessageFate; editedAt: string }
  | { type: "MessageRetracted"; messageId: string; retractedAt: string }
  | { type: "AttachmentUploaded"; attachmentId: string; sha256: string; contentType: string; size: number }
  | { type: "ConversationMuted" | "ConversationUnmuted" }
  /** The platform's edit: only what changed. */
  | { type: "GiveawayDetailsChanged"; title?: string | undefined; description?: string | undefined; giverId?: string | undefined }
  | { type: "EntryWithdrawn" }
  /** Moderation (moderationEvents.ts): each names the moderator (whoId) and, for an action, the reason. */
  | { type: "ReportDismissed"; reportId: string; reason: string }
  | { type: "MessageHidden"; messageId: string; reason: string }
  | { type: "ConversationViewedByModerator"; reportId: string }
  /** A participant's report (reportsEvents.ts); its note stays with the moderators. */
  | { type: "ReportFiled"; reportId: string; reason: string; reportedUserId: string; messageId?: string | undefined }
  /** A rating after the handover (ratingsEvents.ts); an edit is another line. */
  | { type: "HandoverRated"; rateeId: string; stars: number; comment?: string | undefined }
  /** A photo of the item (giveawayPhotosEvents.ts), by the giver. */
  | { type: "GiveawayPhotoAdded"; photoId: string; sha256: string; contentType: string; size: number }
  /** Stored data that no longer fits the catalogue: shown, never folded. */
  | { type: "Unreadable"; storedType: string; problem: string };

export interface AuditLine {
  revision: number;
  eventId: string;
  /** When the store recorded it (ISO). */
  recordedAt: string;
  /** Whom the line is about: the sender, the entrant, the reader, the giver who created or drew; undefined when withheld or nobody. */
  whoId: string | undefined;
  detail: AuditLineDetail;
}

function actorOf(metadata: unknown): string | undefined {
  const actorId = (metadata as { actorId?: unknown } | null)?.actorId;
  return typeof actorId === "string" ? actorId : undefined;
}

export function toAuditLine(recorded: RecordedEvent, sight: Sight = everything): AuditLine {
  const base = { revision: Number(recorded.revision), eventId: recorded.id, recordedAt: recorded.created.toISOString() };
  const who = (userId: string | undefined) => (userId !== undefined && sight.names(userId) ? userId : undefined);
  let event;
  try {
    event = parseGiveawayEvent(recorded.type, recorded.data);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return { ...base, whoId: who(actorOf(recorded.metadata)), detail: { type: "Unreadable", storedType: recorded.type, problem } };
  }
  if (isPickupEvent(event)) return { ...base, whoId: who(pickupActor(event) ?? actorOf(recorded.metadata)), detail: { type: "Pickup", event: eventShown(event, sight) } };
  switch (event.type) {
    case "GiveawayCreated":
      return { ...base, whoId: who(event.data.giverId), detail: { type: event.type, title: event.data.title } };
    case "EntrySubmitted":
      return { ...base, whoId: who(event.data.userId), detail: { type: event.type } };
    case "DrawConducted":
      return { ...base, whoId: who(actorOf(recorded.metadata)), detail: { type: event.type, winnerId: who(event.data.winnerId) ?? null } };
    case "MessageSent": {
      const { messageId, senderId, content, sentAt, replyTo, attachmentIds } = event.data;
      const withheld = sight.withheld(messageId, senderId);
      if (withheld) return { ...base, whoId: who(senderId), detail: { type: event.type, messageId, content: null, withheld, sentAt, replyTo } };
      return { ...base, whoId: who(senderId), detail: { type: event.type, messageId, content, sentAt, replyTo, attachmentIds } };
    }
    case "ConversationRead":
      return { ...base, whoId: who(event.data.userId), detail: { type: event.type, upToRevision: event.data.upToRevision } };
    case "SystemMessagePosted": {
      const { messageId, content, postedAt } = event.data;
      return { ...base, whoId: undefined, detail: { type: event.type, messageId, content, postedAt } };
    }
    case "ReactionAdded":
    case "ReactionRemoved":
      return { ...base, whoId: who(event.data.userId), detail: { type: event.type, messageId: event.data.messageId, emoji: event.data.emoji } };
    case "MessageEdited": {
      const { messageId, editorId, content, editedAt } = event.data;
      const withheld = sight.withheld(messageId, editorId);
      return { ...base, whoId: who(editorId), detail: { type: event.type, messageId, content: withheld ? null : content, ...(withheld && { withheld }), editedAt } };
    }
    case "MessageRetracted": {
      const { messageId, retractedBy, retractedAt } = event.data;
      return { ...base, whoId: who(retractedBy), detail: { type: event.type, messageId, retractedAt } };
    }
    case "AttachmentUploaded": {
      const { attachmentId, uploaderId, sha256, contentType, size } = event.data;
      return { ...base, whoId: who(uploaderId), detail: { type: event.type, attachmentId, sha256, contentType, size } };
    }
    case "ConversationMuted":
    case "ConversationUnmuted":
      return { ...base, whoId: who(event.data.userId), detail: { type: event.type } };
    case "GiveawayDetailsChanged": {
      const { title, description, giverId } = event.data;
      // The new giver: always shown (the rule names the giver).
      return { ...base, whoId: who(actorOf(recorded.metadata)), detail: { type: event.type, title, description, giverId } };
    }
    case "EntryWithdrawn":
      return { ...base, whoId: who(event.data.userId), detail: { type: event.type } };
    case "ReportFiled": {
      const { reportId, reporterId, reason, reportedUserId, messageId } = event.data;
      return { ...base, whoId: who(reporterId), detail: { type: event.type, reportId, reason, reportedUserId, messageId } };
    }
    case "ReportDismissed":
      return { ...base, whoId: who(event.data.moderatorId), detail: { type: event.type, reportId: event.data.reportId, reason: event.data.reason } };
    case "MessageHidden":
      return { ...base, whoId: who(event.data.moderatorId), detail: { type: event.type, messageId: event.data.messageId, reason: event.data.reason } };
    case "ConversationViewedByModerator":
      return { ...base, whoId: who(event.data.moderatorId), detail: { type: event.type, reportId: event.data.reportId } };
    case "HandoverRated": {
      const { raterId, rateeId, stars, comment } = event.data;
      return { ...base, whoId: who(raterId), detail: { type: event.type, rateeId, stars, comment } };
    }
    case "GiveawayPhotoAdded": {
      const { photoId, addedBy, sha256, contentType, size } = event.data;
      return { ...base, whoId: who(addedBy), detail: { type: event.type, photoId, sha256, contentType, size } };
    }
    default:
      return assertNever(event);
  }
}

/** Every user a line names, so their names can be looked up once. */
export function userIdsOf(line: AuditLine): string[] {
  const ids = line.whoId === undefined ? [] : [line.whoId];
  if (line.detail.type === "DrawConducted" && line.detail.winnerId !== null) ids.push(line.detail.winnerId);
  if (line.detail.type === "GiveawayDetailsChanged" && line.detail.giverId !== undefined) ids.push(line.detail.giverId);
  if (line.detail.type === "Pickup") ids.push(...pickupUserIds(line.detail.event));
  if (line.detail.type === "HandoverRated") ids.push(line.detail.rateeId);
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
    // A message whose content is withheld from this reader stands as the read model shows it once removed or hidden.
    hiddenByModerator: sent?.withheld?.event === "MessageHidden",
    content: detail.content ?? (sent?.withheld?.event === "MessageHidden" ? null : ""),
    sentAt: detail.type === "MessageSent" ? detail.sentAt : detail.postedAt,
    revision: line.revision,
    replyTo: sent?.replyTo ?? null,
    attachments: [],
    reactions: {},
    editedAt: null,
    retractedAt: sent?.withheld?.event === "MessageRetracted" ? sent.withheld.at : null,
  };
}

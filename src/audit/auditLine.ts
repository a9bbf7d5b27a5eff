// One event of a giveaway stream as a line of the replayed conversation (pure).
import { parseGiveawayEvent } from "../domain/events.ts";
import { assertNever } from "../domain/errors.ts";
import { pickupActor, pickupUserIds } from "./pickupAudit.ts";
import type { PickupEvent } from "../domain/pickupEvents.ts";
import type { RecordedEvent } from "../eventstore/port.ts";
import type { MessageView } from "../projections/conversationProjection.ts";

export type AuditLineDetail =
  | { type: "GiveawayCreated"; title: string }
  | { type: "EntrySubmitted" }
  | { type: "DrawConducted"; winnerId: string }
  | { type: "MessageSent"; messageId: string; content: string; sentAt: string }
  | { type: "ConversationRead"; upToRevision: number }
  | { type: "Pickup"; event: PickupEvent }
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
  switch (event.type) {
    case "GiveawayCreated":
      return { ...base, whoId: event.data.giverId, detail: { type: event.type, title: event.data.title } };
    case "EntrySubmitted":
      return { ...base, whoId: event.data.userId, detail: { type: event.type } };
    case "DrawConducted":
      return { ...base, whoId: actorOf(recorded.metadata), detail: { type: event.type, winnerId: event.data.winnerId } };
    case "MessageSent": {
      const { messageId, senderId, content, sentAt } = event.data;
      return { ...base, whoId: senderId, detail: { type: event.type, messageId, content, sentAt } };
    }
    case "ConversationRead":
      return { ...base, whoId: event.data.userId, detail: { type: event.type, upToRevision: event.data.upToRevision } };
    case "PickupProposed":
    case "PickupProposalAccepted":
    case "PickupProposalDeclined":
    case "PickupReminderSent":
    case "HandoverConfirmed":
    case "GiveawayCompleted":
    case "PrizeDeclined":
    case "WinnerRedrawn":
    case "GiveawayCancelled":
      return { ...base, whoId: pickupActor(event) ?? actorOf(recorded.metadata), detail: { type: "Pickup", event } };
    default:
      return assertNever(event);
  }
}

/** Every user a line names, so their names can be looked up once. */
export function userIdsOf(line: AuditLine): string[] {
  const ids = line.whoId === undefined ? [] : [line.whoId];
  if (line.detail.type === "DrawConducted") ids.push(line.detail.winnerId);
  if (line.detail.type === "Pickup") ids.push(...pickupUserIds(line.detail.event));
  return ids;
}

/** The message a line holds, exactly as the conversation read model shows it; undefined for other events. */
export function messageOf(line: AuditLine, giveawayId: string, nameOf: (userId: string) => string | undefined): MessageView | undefined {
  if (line.detail.type !== "MessageSent") return undefined;
  const senderId = line.whoId!;
  const { messageId, content, sentAt } = line.detail;
  return { id: messageId, giveawayId, senderId, senderName: nameOf(senderId) ?? "?", content, sentAt, revision: line.revision };
}

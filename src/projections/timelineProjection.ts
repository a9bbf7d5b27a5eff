// What a conversation's stream shows, in stream order: each durable frame a client resumes by
// revision (messages, read marks, reactions, edits, retractions, pickup facts), so history and live match.
import type Database from "better-sqlite3";
import { isPickupEvent, type PickupEvent } from "../domain/pickupEvents.ts";
import { messageColumns, toMessageView, type MessageView } from "./conversationProjection.ts";
import type { ProjectedEvent, Projection, ProjectionApply } from "./projection.ts";

/** A durable conversation frame; `revision` is its event's revision in the giveaway stream. */
export type TimelineEvent =
  | { kind: "message"; giveawayId: string; message: MessageView }
  | { kind: "message-edited" | "message-retracted" | "message-hidden"; giveawayId: string; revision: number; message: MessageView }
  | { kind: "read"; giveawayId: string; revision: number; userId: string; upToRevision: number; readAt: string }
  | { kind: "reaction"; giveawayId: string; revision: number; messageId: string; userId: string; emoji: string; reacted: boolean }
  /** A pickup fact (proposal, plan, handover, redraw...): who may read it follows the draw's rounds. */
  | { kind: "pickup"; giveawayId: string; revision: number; event: PickupEvent };

export type TimelineKind = TimelineEvent["kind"];

export function timelineRevision(event: TimelineEvent): number {
  return event.kind === "message" ? event.message.revision : event.revision;
}

/** The timeline's INSERT (live and bulk), and its columns in their order. */
export const timelineInsert = "INSERT OR IGNORE INTO timeline";
export const timelineColumns = ["giveaway_id", "revision", "kind", "message_id", "user_id", "at", "data"] as const;

export const timelineProjection = {
  name: "timeline",
  schema: `
    CREATE TABLE IF NOT EXISTS timeline (
      giveaway_id TEXT NOT NULL, revision INTEGER NOT NULL, kind TEXT NOT NULL, message_id TEXT, user_id TEXT NOT NULL,
      at TEXT NOT NULL, data TEXT, PRIMARY KEY (giveaway_id, revision));
    CREATE INDEX IF NOT EXISTS timeline_by_user ON timeline (giveaway_id, user_id, at);`,
  prepare(db) {
    const insert = db.prepare(`${timelineInsert} (${timelineColumns.join(", ")}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    return timelineApplier((giveawayId, revision, kind, messageId, userId, at, data) => insert.run(giveawayId, revision, kind, messageId, userId, at, data));
  },
  queries: timelineQueries,
} satisfies Projection;

/** How an event becomes timeline rows, written by `write` (the live INSERT, or a bulk build's buffer). */
export function timelineApplier(
  write: (giveawayId: string, revision: bigint, kind: TimelineKind, messageId: string | null, userId: string, at: string, data: string | null) => void,
): ProjectionApply {
  // Made once, not per event: a closure per event cost 2% of a rebuild (docs/profiles/rebuild.md).
  let current: Extract<ProjectedEvent, { stream: "giveaway" }>;
  const row = (kind: TimelineKind, messageId: string | null, userId: string, at: string, data?: unknown) =>
    write(current.giveawayId, current.recorded.revision, kind, messageId, userId, at, data === undefined ? null : JSON.stringify(data));
  return (projected) => {
    if (projected.stream !== "giveaway") return;
    const { event } = projected;
    current = projected;
    switch (event.type) {
      case "MessageSent":
        return void row("message", event.data.messageId, event.data.senderId, event.data.sentAt);
      case "SystemMessagePosted":
        // Nobody's: "" is no user's, so it is no one's read mark or activity.
        return void row("message", event.data.messageId, "", event.data.postedAt);
      case "ConversationRead":
        return void row("read", null, event.data.userId, event.data.readAt, { upToRevision: event.data.upToRevision });
      case "ReactionAdded":
      case "ReactionRemoved": {
        const { messageId, userId, emoji } = event.data;
        const at = event.type === "ReactionAdded" ? event.data.reactedAt : event.data.removedAt;
        return void row("reaction", messageId, userId, at, { emoji, reacted: event.type === "ReactionAdded" });
      }
      case "MessageEdited":
        return void row("message-edited", event.data.messageId, event.data.editorId, event.data.editedAt);
      case "MessageRetracted":
        return void row("message-retracted", event.data.messageId, event.data.retractedBy, event.data.retractedAt);
      case "MessageHidden":
        // "" like a system message's: the moderator is no participant, so it is nobody's activity here.
        return void row("message-hidden", event.data.messageId, "", event.data.hiddenAt);
      default:
        // The event as checked by the catalogue, so history carries exactly what the live frame did.
        if (isPickupEvent(event)) row("pickup", null, "", projected.recorded.created.toISOString(), { type: event.type, data: event.data });
        return;
    }
  };
}

interface TimelineRow {
  eventRevision: number;
  /** Not `kind`: that is the message's own column (user or system). */
  frameKind: TimelineKind;
  messageId: string | null;
  userId: string;
  data: string | null;
  at: string;
  // the message's columns, when the row is about one
  id: string | null;
  [column: string]: unknown;
}

function toTimelineEvent(giveawayId: string, row: TimelineRow): TimelineEvent | undefined {
  const revision = row.eventRevision;
  switch (row.frameKind) {
    case "message":
    case "message-edited":
    case "message-retracted":
    case "message-hidden": {
      if (row.id === null) return undefined;
      const message = toMessageView(row as never);
      // Edits and retractions carry the message as it is now: a removed message's text is never sent again.
      return row.frameKind === "message" ? { kind: "message", giveawayId, message } : { kind: row.frameKind, giveawayId, revision, message };
    }
    case "read": {
      const { upToRevision } = JSON.parse(row.data ?? "{}") as { upToRevision: number };
      return { kind: "read", giveawayId, revision, userId: row.userId, upToRevision, readAt: row.at };
    }
    case "reaction": {
      const { emoji, reacted } = JSON.parse(row.data ?? "{}") as { emoji: string; reacted: boolean };
      return { kind: "reaction", giveawayId, revision, messageId: row.messageId ?? "", userId: row.userId, emoji, reacted };
    }
    case "pickup":
      return { kind: "pickup", giveawayId, revision, event: JSON.parse(row.data ?? "{}") as PickupEvent };
    default:
      return undefined;
  }
}

export function timelineQueries(db: Database.Database) {
  const select = `SELECT t.revision AS eventRevision, t.kind AS frameKind, t.message_id AS messageId, t.user_id AS userId, t.data, t.at, ${messageColumns}
    FROM timeline t LEFT JOIN messages m ON m.giveaway_id = t.giveaway_id AND m.id = t.message_id LEFT JOIN users u ON u.id = m.sender_id`;
  const after = db.prepare<[string, number, number], TimelineRow>(`${select} WHERE t.giveaway_id = ? AND t.revision > ? ORDER BY t.revision LIMIT ?`);
  const at = db.prepare<[string, number], TimelineRow>(`${select} WHERE t.giveaway_id = ? AND t.revision = ?`);
  const lastOfKind = db.prepare<[string, string, string], { revision: number; at: string; data: string | null }>(
    "SELECT revision, at, data FROM timeline WHERE giveaway_id = ? AND user_id = ? AND kind = ? ORDER BY revision DESC LIMIT 1",
  );
  const lastActive = db.prepare<[string, string], { at: string | null }>("SELECT max(at) AS at FROM timeline WHERE giveaway_id = ? AND user_id = ?");
  return {
    /** Durable frames after `afterRevision` (exclusive), in stream order; `next` is where the next page starts, if any. */
    timelinePage(giveawayId: string, afterRevision: number, limit = 500): { events: TimelineEvent[]; next: number | undefined } {
      const rows = after.all(giveawayId, afterRevision, limit);
      const events = rows.flatMap((row) => toTimelineEvent(giveawayId, row) ?? []);
      return { events, next: rows.length === limit ? rows[rows.length - 1]!.eventRevision : undefined };
    },
    timelineAt(giveawayId: string, revision: number): TimelineEvent | undefined {
      const row = at.get(giveawayId, revision);
      return row && toTimelineEvent(giveawayId, row);
    },
    /**
     * How far the user has read and when they got there: their last read mark or their last message
     * (sending reads everything up to it), whichever reaches further.
     */
    readMarkOf(giveawayId: string, userId: string): { upToRevision: number; at: string } | undefined {
      const read = lastOfKind.get(giveawayId, userId, "read");
      const sent = lastOfKind.get(giveawayId, userId, "message");
      const byRead = read && { upToRevision: (JSON.parse(read.data ?? "{}") as { upToRevision: number }).upToRevision, at: read.at };
      const bySend = sent && { upToRevision: sent.revision, at: sent.at };
      if (!byRead || !bySend) return byRead ?? bySend;
      return bySend.upToRevision > byRead.upToRevision ? bySend : byRead;
    },
    /** When the user last did something in the conversation (sent, read, reacted, edited). */
    lastActiveAt: (giveawayId: string, userId: string): string | null => lastActive.get(giveawayId, userId)?.at ?? null,
  };
}

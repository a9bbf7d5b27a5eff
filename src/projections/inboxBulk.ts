// The inbox projection for a bulk build (bulkRebuild.ts): the same rows as inboxProjection.ts, kept
// in memory while the log is read and written once at the end. Through SQL, every message updated
// two rows of a table keyed by text (a third of a rebuild's time); here it changes two objects.
// What the rows depend on outside the inbox is followed here too, from the same events: each
// giveaway's giver and winner (as the giveaways table holds them after the event) and each
// conversation's message revisions and senders (for the unread count after a read mark). Only an
// edited or removed message's new text is read from the messages table, with the projection's SQL.
import type Database from "better-sqlite3";
import { isPickupEvent } from "../domain/pickupEvents.ts";
import { inboxPreviewLength } from "./inboxProjection.ts";
import type { GiveawayEvent } from "../domain/events.ts";
import type { ProjectionApply } from "./projection.ts";

interface InboxRow {
  user_id: string;
  giveaway_id: string;
  other_user_id: string;
  last_message_revision: number | null;
  last_message_preview: string | null;
  last_message_at: string | null;
  last_message_sender_id: string | null;
  last_read_revision: number;
  unread_count: number;
  opened_at: string;
  muted: number;
}

interface Participants {
  giver_id: string;
  winner_id: string | null;
}

interface Conversation {
  revisions: number[];
  senders: number[];
  people: (string | null)[];
}

export type BulkApply = ProjectionApply & { finish(): void };

export function prepareInboxBulk(db: Database.Database): BulkApply {
  // The giveaways table's giver_id and winner_id, by the giveaways projection's rules.
  const giveaways = new Map<string, Participants>();
  const participants = { get: (giveawayId: string) => giveaways.get(giveawayId) };
  // The messages table's (revision, sender_id) per giveaway, in revision order: senders as indexes
  // into the conversation's few distinct senders, so a long log keeps numbers, not strings.
  const conversations = new Map<string, Conversation>();
  const messageAdded = (giveawayId: string, revision: number, senderId: string | null) => {
    let conversation = conversations.get(giveawayId);
    if (!conversation) conversations.set(giveawayId, (conversation = { revisions: [], senders: [], people: [] }));
    let sender = conversation.people.indexOf(senderId);
    if (sender < 0) sender = conversation.people.push(senderId) - 1;
    conversation.revisions.push(revision);
    conversation.senders.push(sender);
  };
  // SELECT count(*) FROM messages m WHERE m.giveaway_id = ? AND m.sender_id IS NOT ? AND m.revision > ?
  const unreadAfter = (giveawayId: string, userId: string, after: number): number => {
    const conversation = conversations.get(giveawayId);
    if (!conversation) return 0;
    const { revisions, senders, people } = conversation;
    let count = 0;
    for (let i = revisions.length - 1; i >= 0 && revisions[i]! > after; i--) if (people[senders[i]!] !== userId) count++;
    return count;
  };
  const follow = (event: GiveawayEvent, giveawayId: string, revision: number) => {
    switch (event.type) {
      case "GiveawayCreated":
        // INSERT OR IGNORE
        if (!giveaways.has(giveawayId)) giveaways.set(giveawayId, { giver_id: event.data.giverId, winner_id: null });
        return;
      case "GiveawayDetailsChanged": {
        const giveaway = giveaways.get(giveawayId);
        if (giveaway && event.data.giverId !== undefined && event.data.giverId !== null) giveaway.giver_id = event.data.giverId;
        return;
      }
      case "DrawConducted":
      case "WinnerRedrawn": {
        const giveaway = giveaways.get(giveawayId);
        if (giveaway) giveaway.winner_id = event.data.winnerId;
        return;
      }
      case "MessageSent":
        return messageAdded(giveawayId, revision, event.data.senderId);
      case "SystemMessagePosted":
        return messageAdded(giveawayId, revision, null);
      default:
        return;
    }
  };
  const message = db.prepare<[string, string], { preview: string | null; revision: number }>(
    `SELECT substr(content, 1, ${inboxPreviewLength}) AS preview, revision FROM messages m WHERE m.giveaway_id = ? AND m.id = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO inbox (user_id, giveaway_id, other_user_id, last_message_revision, last_message_preview, last_message_at, last_message_sender_id,
       last_read_revision, unread_count, opened_at, muted)
     VALUES (@user_id, @giveaway_id, @other_user_id, @last_message_revision, @last_message_preview, @last_message_at, @last_message_sender_id,
       @last_read_revision, @unread_count, @opened_at, @muted)`,
  );
  // Rows in the order the projection would have inserted them (the same rowids).
  const rows: InboxRow[] = [];
  const byGiveaway = new Map<string, Map<string, InboxRow>>();
  const rowOf = (giveawayId: string, userId: string) => byGiveaway.get(giveawayId)?.get(userId);
  // INSERT OR IGNORE
  const open = (userId: string, giveawayId: string, otherUserId: string, revision: number, openedAt: string) => {
    let users = byGiveaway.get(giveawayId);
    if (!users) byGiveaway.set(giveawayId, (users = new Map()));
    if (users.has(userId)) return;
    const row: InboxRow = {
      user_id: userId,
      giveaway_id: giveawayId,
      other_user_id: otherUserId,
      last_message_revision: null,
      last_message_preview: null,
      last_message_at: null,
      last_message_sender_id: null,
      last_read_revision: revision,
      unread_count: 0,
      opened_at: openedAt,
      muted: 0,
    };
    users.set(userId, row);
    rows.push(row);
  };
  const messageSent = (giveawayId: string, revision: number, preview: string, sentAt: string, senderId: string | null) => {
    const users = byGiveaway.get(giveawayId);
    if (!users) return;
    const giveaway = participants.get(giveawayId);
    if (!giveaway) return;
    for (const row of users.values()) {
      // Only the giver's and the current winner's rows: a former winner's conversation has ended.
      if (row.user_id !== giveaway.giver_id && row.user_id !== giveaway.winner_id) continue;
      const sender = senderId !== null && row.user_id === senderId;
      const lastRead = row.last_read_revision;
      row.last_message_revision = revision;
      row.last_message_preview = preview;
      row.last_message_at = sentAt;
      row.last_message_sender_id = senderId;
      row.unread_count = sender ? 0 : lastRead < revision ? row.unread_count + 1 : row.unread_count;
      row.last_read_revision = sender ? Math.max(lastRead, revision) : lastRead;
    }
  };

  const apply: BulkApply = Object.assign(
    (projected: Parameters<ProjectionApply>[0]) => {
      if (projected.stream !== "giveaway") return;
      const { giveawayId, event, recorded } = projected;
      const revision = Number(recorded.revision);
      follow(event, giveawayId, revision);
      if (isPickupEvent(event)) {
        if (event.type !== "WinnerRedrawn") return;
        const giveaway = participants.get(giveawayId);
        if (!giveaway) return;
        const { winnerId, redrawnAt } = event.data;
        open(winnerId, giveawayId, giveaway.giver_id, revision, redrawnAt);
        const giverRow = rowOf(giveawayId, giveaway.giver_id);
        if (giverRow) giverRow.other_user_id = winnerId;
        return;
      }
      switch (event.type) {
        case "DrawConducted": {
          const giveaway = participants.get(giveawayId);
          if (!giveaway) return;
          open(giveaway.giver_id, giveawayId, event.data.winnerId, revision, event.data.drawnAt);
          open(event.data.winnerId, giveawayId, giveaway.giver_id, revision, event.data.drawnAt);
          return;
        }
        case "MessageSent":
          return messageSent(giveawayId, revision, event.data.content.slice(0, inboxPreviewLength), event.data.sentAt, event.data.senderId);
        case "SystemMessagePosted":
          return messageSent(giveawayId, revision, event.data.content.slice(0, inboxPreviewLength), event.data.postedAt, null);
        case "ConversationRead": {
          const row = rowOf(giveawayId, event.data.userId);
          if (!row) return;
          const upTo = Math.max(row.last_read_revision, event.data.upToRevision);
          row.unread_count = unreadAfter(giveawayId, event.data.userId, upTo);
          row.last_read_revision = upTo;
          return;
        }
        case "ConversationMuted":
        case "ConversationUnmuted": {
          const row = rowOf(giveawayId, event.data.userId);
          if (row) row.muted = event.type === "ConversationMuted" ? 1 : 0;
          return;
        }
        case "MessageEdited":
        case "MessageRetracted":
        case "MessageHidden": {
          const found = message.get(giveawayId, event.data.messageId);
          if (!found) return;
          for (const row of byGiveaway.get(giveawayId)?.values() ?? []) {
            if (row.last_message_revision === found.revision) row.last_message_preview = found.preview;
          }
          return;
        }
        default:
          return;
      }
    },
    {
      finish() {
        for (const row of rows) insert.run(row);
        rows.length = 0;
        byGiveaway.clear();
        giveaways.clear();
        conversations.clear();
      },
    },
  );
  return apply;
}

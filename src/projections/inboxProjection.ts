// Each participant's conversations: the other person, the last message, and an exact unread count.
import type Database from "better-sqlite3";
import { assertNever } from "../domain/errors.ts";
import { isPickupEvent } from "../domain/pickupEvents.ts";
import type { Projection } from "./projection.ts";

/** Characters of the last message an inbox row shows. */
export const inboxPreviewLength = 140;

export const inboxProjection = {
  name: "inbox",
  streams: ["giveaway"],
  schema: `
    CREATE TABLE IF NOT EXISTS inbox (
      user_id TEXT NOT NULL, giveaway_id TEXT NOT NULL, other_user_id TEXT NOT NULL,
      last_message_revision INTEGER, last_message_preview TEXT, last_message_at TEXT, last_message_sender_id TEXT,
      last_read_revision INTEGER NOT NULL, unread_count INTEGER NOT NULL, opened_at TEXT NOT NULL,
      muted INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (user_id, giveaway_id));
    -- Messages update both participants' rows by giveaway: without this, each one scans the table.
    CREATE INDEX IF NOT EXISTS inbox_by_giveaway ON inbox (giveaway_id);`,
  prepare(db) {
    const giverOf = db.prepare<[string], { giver_id: string }>("SELECT giver_id FROM giveaways WHERE id = ?");
    const open = db.prepare(
      `INSERT OR IGNORE INTO inbox (user_id, giveaway_id, other_user_id, last_read_revision, unread_count, opened_at)
       VALUES (?, ?, ?, ?, 0, ?)`,
    );
    // One statement for both rows: the last message on each, one more unread for the recipient
    // (unless already read past it), and the sender has read up to what they wrote.
    const messageSent = db.prepare(
      `UPDATE inbox SET last_message_revision = @revision, last_message_preview = @preview, last_message_at = @sentAt,
         last_message_sender_id = @senderId,
         unread_count = CASE WHEN user_id = @senderId THEN 0
                             WHEN last_read_revision < @revision THEN unread_count + 1 ELSE unread_count END,
         last_read_revision = CASE WHEN user_id = @senderId THEN max(last_read_revision, @revision) ELSE last_read_revision END
       WHERE giveaway_id = @giveawayId
         -- after a redraw the former winner's row stays as it was: their conversation has ended
         -- (two scalar subqueries, not IN (... UNION ...): no temporary table per message)
         AND (user_id = (SELECT giver_id FROM giveaways WHERE id = @giveawayId) OR user_id = (SELECT winner_id FROM giveaways WHERE id = @giveawayId))`,
    );
    const giverFacesNewWinner = db.prepare("UPDATE inbox SET other_user_id = ? WHERE user_id = ? AND giveaway_id = ?");
    const markRead = db.prepare(
      `UPDATE inbox SET last_read_revision = max(last_read_revision, @upTo),
         unread_count = (SELECT count(*) FROM messages m WHERE m.giveaway_id = @giveawayId AND m.sender_id IS NOT @userId
                         AND m.revision > max(inbox.last_read_revision, @upTo))
       WHERE giveaway_id = @giveawayId AND user_id = @userId`,
    );
    const mute = db.prepare("UPDATE inbox SET muted = ? WHERE giveaway_id = ? AND user_id = ?");
    // An edited or removed last message changes the preview (removed: empty).
    const preview = db.prepare(
      `UPDATE inbox SET last_message_preview = substr((SELECT content FROM messages m WHERE m.giveaway_id = @giveawayId AND m.id = @messageId), 1, ${inboxPreviewLength})
       WHERE giveaway_id = @giveawayId AND last_message_revision = (SELECT revision FROM messages m WHERE m.giveaway_id = @giveawayId AND m.id = @messageId)`,
    );
    return (projected) => {
      if (projected.stream !== "giveaway") return;
      const { giveawayId, event, recorded } = projected;
      if (isPickupEvent(event)) {
        // Only a redraw changes the inbox: the new winner gets a row, the giver's faces them.
        if (event.type !== "WinnerRedrawn") return;
        const giver = giverOf.get(giveawayId);
        if (!giver) return;
        const { winnerId, redrawnAt } = event.data;
        open.run(winnerId, giveawayId, giver.giver_id, recorded.revision, redrawnAt);
        giverFacesNewWinner.run(winnerId, giver.giver_id, giveawayId);
        return;
      }
      switch (event.type) {
        case "DrawConducted": {
          const giver = giverOf.get(giveawayId);
          if (!giver) return;
          open.run(giver.giver_id, giveawayId, event.data.winnerId, recorded.revision, event.data.drawnAt);
          open.run(event.data.winnerId, giveawayId, giver.giver_id, recorded.revision, event.data.drawnAt);
          return;
        }
        case "MessageSent": {
          const { senderId, content, sentAt } = event.data;
          messageSent.run({ revision: recorded.revision, preview: content.slice(0, inboxPreviewLength), sentAt, senderId, giveawayId });
          return;
        }
        case "SystemMessagePosted": {
          // No sender: one more unread for both participants.
          const { content, postedAt } = event.data;
          messageSent.run({ revision: recorded.revision, preview: content.slice(0, inboxPreviewLength), sentAt: postedAt, senderId: null, giveawayId });
          return;
        }
        case "ConversationRead":
          markRead.run({ upTo: event.data.upToRevision, giveawayId, userId: event.data.userId });
          return;
        case "ConversationMuted":
        case "ConversationUnmuted":
          mute.run(event.type === "ConversationMuted" ? 1 : 0, giveawayId, event.data.userId);
          return;
        case "MessageEdited":
        case "MessageRetracted":
        case "MessageHidden":
          preview.run({ giveawayId, messageId: event.data.messageId });
          return;
        case "GiveawayCreated":
        case "EntrySubmitted":
        case "GiveawayDetailsChanged":
        case "EntryWithdrawn":
        case "ReactionAdded":
        case "ReactionRemoved":
        case "AttachmentUploaded":
        case "ReportDismissed":
        case "ConversationViewedByModerator":
        case "ReportFiled":
        case "HandoverRated":
        case "GiveawayPhotoAdded":
          return;
        default:
          assertNever(event);
      }
    };
  },
  queries: inboxQueries,
} satisfies Projection;

export interface InboxEntry {
  giveawayId: string;
  title: string;
  /** The giveaway's status (open, drawn, pickup_agreed, completed, cancelled). */
  status: string;
  otherUserId: string;
  otherUsername: string;
  lastMessagePreview: string | null;
  lastMessageAt: string | null;
  lastMessageSenderId: string | null;
  lastMessageRevision: number | null;
  lastReadRevision: number;
  unreadCount: number;
  /** The user muted this conversation's notifications. */
  muted: boolean;
}

const selectEntry = `
  SELECT i.giveaway_id AS giveawayId, g.title, g.status, i.other_user_id AS otherUserId, coalesce(u.username, '?') AS otherUsername,
         i.last_message_preview AS lastMessagePreview, i.last_message_at AS lastMessageAt,
         i.last_message_sender_id AS lastMessageSenderId, i.last_message_revision AS lastMessageRevision,
         i.last_read_revision AS lastReadRevision, i.unread_count AS unreadCount, i.muted
  FROM inbox i JOIN giveaways g ON g.id = i.giveaway_id LEFT JOIN users u ON u.id = i.other_user_id`;

export function inboxQueries(db: Database.Database) {
  const forUser = db.prepare<[string], InboxEntry>(`${selectEntry} WHERE i.user_id = ? ORDER BY coalesce(i.last_message_at, i.opened_at) DESC`);
  const one = db.prepare<[string, string], InboxEntry>(`${selectEntry} WHERE i.user_id = ? AND i.giveaway_id = ?`);
  const unreadTotal = db.prepare<[string], { total: number }>("SELECT coalesce(sum(unread_count), 0) AS total FROM inbox WHERE user_id = ?");
  const marks = db.prepare<[string], { userId: string; revision: number }>(
    "SELECT user_id AS userId, last_read_revision AS revision FROM inbox WHERE giveaway_id = ? ORDER BY user_id",
  );
  const entry = (row: InboxEntry | undefined) => row && { ...row, muted: Boolean(row.muted) };
  return {
    inboxFor: (userId: string): InboxEntry[] => forUser.all(userId).map((row) => entry(row)!),
    /** One conversation's row, by its key: for a single count, without reading the whole inbox. */
    inboxEntry: (userId: string, giveawayId: string): InboxEntry | undefined => entry(one.get(userId, giveawayId)),
    /** Each participant's read mark (sending a message reads everything before it too). */
    readUpTo: (giveawayId: string): Record<string, number> => Object.fromEntries(marks.all(giveawayId).map((m) => [m.userId, m.revision])),
    unreadTotal: (userId: string): number => unreadTotal.get(userId)?.total ?? 0,
  };
}

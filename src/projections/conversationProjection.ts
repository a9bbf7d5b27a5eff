// A conversation: the messages of one giveaway in stream order, with sender names.
import type Database from "better-sqlite3";
import type { Projection } from "./projection.ts";

export const conversationProjection: Projection = {
  name: "conversation",
  streams: ["giveaway"],
  schema: `
    CREATE TABLE IF NOT EXISTS messages (
      giveaway_id TEXT NOT NULL, revision INTEGER NOT NULL, id TEXT NOT NULL, sender_id TEXT NOT NULL,
      content TEXT NOT NULL, sent_at TEXT NOT NULL, PRIMARY KEY (giveaway_id, revision));
    -- A send answers with its message looked up by id: without this, each lookup scans the conversation.
    CREATE INDEX IF NOT EXISTS messages_by_id ON messages (giveaway_id, id);`,
  prepare(db) {
    const insert = db.prepare("INSERT OR IGNORE INTO messages (giveaway_id, revision, id, sender_id, content, sent_at) VALUES (?, ?, ?, ?, ?, ?)");
    return (projected) => {
      if (projected.stream !== "giveaway" || projected.event.type !== "MessageSent") return;
      const { messageId, senderId, content, sentAt } = projected.event.data;
      insert.run(projected.giveawayId, projected.recorded.revision, messageId, senderId, content, sentAt);
    };
  },
};

/** A message as every way in shows it (API, pages, streams). */
export interface MessageView {
  id: string;
  giveawayId: string;
  senderId: string;
  senderName: string;
  content: string;
  sentAt: string;
  revision: number;
}

const selectMessage = `
  SELECT m.id, m.giveaway_id AS giveawayId, m.sender_id AS senderId, coalesce(u.username, '?') AS senderName,
         m.content, m.sent_at AS sentAt, m.revision
  FROM messages m LEFT JOIN users u ON u.id = m.sender_id`;

export function conversationQueries(db: Database.Database) {
  const after = db.prepare<[string, number, number], MessageView>(`${selectMessage} WHERE m.giveaway_id = ? AND m.revision > ? ORDER BY m.revision LIMIT ?`);
  const latest = db.prepare<[string, number], MessageView>(
    `SELECT * FROM (${selectMessage} WHERE m.giveaway_id = ? ORDER BY m.revision DESC LIMIT ?) ORDER BY revision`,
  );
  const byId = db.prepare<[string, string], MessageView>(`${selectMessage} WHERE m.giveaway_id = ? AND m.id = ?`);
  const atRevision = db.prepare<[string, number], MessageView>(`${selectMessage} WHERE m.giveaway_id = ? AND m.revision = ?`);
  return {
    /** Messages with a revision greater than `afterRevision` (-1: from the start), oldest first. */
    messagesAfter: (giveawayId: string, afterRevision: number, limit = 1000): MessageView[] => after.all(giveawayId, afterRevision, limit),
    /** The newest `limit` messages, oldest first. */
    latestMessages: (giveawayId: string, limit = 200): MessageView[] => latest.all(giveawayId, limit),
    messageById: (giveawayId: string, id: string): MessageView | undefined => byId.get(giveawayId, id),
    messageAtRevision: (giveawayId: string, revision: number): MessageView | undefined => atRevision.get(giveawayId, revision),
  };
}

// Who has blocked whom, from the blockers' streams: what the send, entry and notification checks
// look up before a command (the decider refuses), and what GET /api/me/blocks lists.
//
// blocks: one row per standing block.
//   blocker_id  the user who blocked (their stream holds UserBlocked / UserUnblocked)
//   blocked_id  the user they blocked
//   blocked_at  when (ISO)
import type Database from "better-sqlite3";
import type { Projection } from "./projection.ts";

export const blocksProjection = {
  name: "blocks",
  streams: ["user"],
  schema: `CREATE TABLE IF NOT EXISTS blocks (blocker_id TEXT NOT NULL, blocked_id TEXT NOT NULL, blocked_at TEXT NOT NULL, PRIMARY KEY (blocker_id, blocked_id));
CREATE INDEX IF NOT EXISTS blocks_by_blocked ON blocks (blocked_id);`,
  prepare(db) {
    const block = db.prepare("INSERT OR IGNORE INTO blocks (blocker_id, blocked_id, blocked_at) VALUES (?, ?, ?)");
    const unblock = db.prepare("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?");
    return (projected) => {
      if (projected.stream !== "user") return;
      const { event } = projected;
      if (event.type === "UserBlocked") block.run(event.data.userId, event.data.blockedUserId, event.data.blockedAt);
      else if (event.type === "UserUnblocked") unblock.run(event.data.userId, event.data.blockedUserId);
    };
  },
  queries: blocksQueries,
} satisfies Projection;

export interface BlockView {
  userId: string;
  /** Their name as shown elsewhere ("?" if unknown). */
  username: string;
  blockedAt: string;
}

export function blocksQueries(db: Database.Database) {
  const one = db.prepare<[string, string], { found: number }>("SELECT 1 AS found FROM blocks WHERE blocker_id = ? AND blocked_id = ?");
  const blockers = db.prepare<[string], { blockerId: string }>("SELECT blocker_id AS blockerId FROM blocks WHERE blocked_id = ?");
  const list = db.prepare<[string], BlockView>(
    `SELECT b.blocked_id AS userId, COALESCE(u.username, '?') AS username, b.blocked_at AS blockedAt
       FROM blocks b LEFT JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = ? ORDER BY b.blocked_at DESC, b.blocked_id`,
  );
  return {
    /** Whether `blockerId` has blocked `blockedId`. */
    hasBlocked: (blockerId: string, blockedId: string): boolean => one.get(blockerId, blockedId) !== undefined,
    /** Everyone who has blocked `userId`: the fact a send or an entry carries into the decider. */
    blockersOf: (userId: string): string[] => blockers.all(userId).map((row) => row.blockerId),
    /** Whom `blockerId` has blocked, newest first, with names. */
    blocksOf: (blockerId: string): BlockView[] => list.all(blockerId),
  };
}

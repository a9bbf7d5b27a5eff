// Ended sessions, for every process: a token whose session ended gets 401 here as soon as this
// process's subscription has applied the event (no process memory involved).
import type Database from "better-sqlite3";
import type { Projection } from "./projection.ts";

export const sessionsProjection = {
  name: "sessions",
  schema: `CREATE TABLE IF NOT EXISTS ended_sessions (session_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, ended_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions_ended_before (user_id TEXT PRIMARY KEY, ended_before INTEGER NOT NULL);`,
  prepare(db) {
    const endOne = db.prepare("INSERT OR IGNORE INTO ended_sessions (session_id, user_id, ended_at) VALUES (?, ?, ?)");
    const endAll = db.prepare(
      "INSERT INTO sessions_ended_before (user_id, ended_before) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET ended_before = MAX(ended_before, excluded.ended_before)",
    );
    return (projected) => {
      if (projected.stream !== "user") return;
      const { event } = projected;
      if (event.type === "SessionEnded") endOne.run(event.data.sessionId, event.data.userId, event.data.endedAt);
      if (event.type === "AllSessionsEnded") endAll.run(event.data.userId, Date.parse(event.data.endedAt));
    };
  },
  queries: sessionsQueries,
} satisfies Projection;

export function sessionsQueries(db: Database.Database) {
  // One statement, not two: it runs on every authenticated request.
  const ended = db.prepare<[string, string, number], { ended: number }>(
    `SELECT EXISTS (SELECT 1 FROM ended_sessions WHERE session_id = ?)
         OR EXISTS (SELECT 1 FROM sessions_ended_before WHERE user_id = ? AND ended_before >= ?) AS ended`,
  );
  return {
    sessionHasEnded(userId: string, sessionId: string, startedAt: Date): boolean {
      return ended.get(sessionId, userId, startedAt.getTime())!.ended === 1;
    },
  };
}

// Suspended users, for every process: a suspended user's tokens are refused (403 suspended) as soon
// as this process's subscription has applied UserSuspended. Expiry is a comparison with the clock
// (moderators.ts: suspensionHolds), not an event.
import type Database from "better-sqlite3";
import type { Suspension } from "../domain/moderators.ts";
import type { Projection } from "./projection.ts";

export const suspensionsProjection = {
  name: "suspensions",
  streams: ["user"],
  schema: `CREATE TABLE IF NOT EXISTS suspensions (user_id TEXT PRIMARY KEY, suspended_at TEXT NOT NULL, until TEXT);`,
  prepare(db) {
    const suspend = db.prepare(
      "INSERT INTO suspensions (user_id, suspended_at, until) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET suspended_at = excluded.suspended_at, until = excluded.until",
    );
    const lift = db.prepare("DELETE FROM suspensions WHERE user_id = ?");
    return (projected) => {
      if (projected.stream !== "user") return;
      const { event } = projected;
      if (event.type === "UserSuspended") suspend.run(event.data.userId, event.data.suspendedAt, event.data.until ?? null);
      else if (event.type === "UserUnsuspended") lift.run(event.data.userId);
    };
  },
  queries: suspensionsQueries,
} satisfies Projection;

export function suspensionsQueries(db: Database.Database) {
  // Runs on every authenticated request: one primary-key lookup.
  const byUser = db.prepare<[string], Suspension>("SELECT suspended_at AS suspendedAt, until FROM suspensions WHERE user_id = ?");
  return {
    /** The user's standing suspension (maybe expired: suspensionHolds decides), or undefined. */
    suspensionOf: (userId: string): Suspension | undefined => byUser.get(userId),
  };
}

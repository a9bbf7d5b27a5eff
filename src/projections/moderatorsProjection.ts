// Who may moderate: the operator's grants (ModeratorGranted/Revoked) and platform users' latest
// recorded roles (PlatformProfileRecorded.roles). The rule on them is the domain's (moderators.ts).
import type Database from "better-sqlite3";
import { isModerator } from "../domain/moderators.ts";
import type { Projection } from "./projection.ts";

export const moderatorsProjection = {
  name: "moderators",
  streams: ["user"],
  schema: `CREATE TABLE IF NOT EXISTS moderator_standing (
  user_id TEXT PRIMARY KEY, granted INTEGER NOT NULL DEFAULT 0, platform_roles TEXT NOT NULL DEFAULT '[]');`,
  prepare(db) {
    const grant = db.prepare(
      "INSERT INTO moderator_standing (user_id, granted) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET granted = excluded.granted",
    );
    const roles = db.prepare(
      "INSERT INTO moderator_standing (user_id, platform_roles) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET platform_roles = excluded.platform_roles",
    );
    return (projected) => {
      if (projected.stream !== "user") return;
      const { event } = projected;
      if (event.type === "ModeratorGranted" || event.type === "ModeratorRevoked") grant.run(event.data.userId, event.type === "ModeratorGranted" ? 1 : 0);
      else if (event.type === "PlatformProfileRecorded") roles.run(event.data.userId, JSON.stringify(event.data.roles));
    };
  },
  queries: moderatorsQueries,
} satisfies Projection;

export function moderatorsQueries(db: Database.Database) {
  const standing = db.prepare<[string], { granted: number; platformRoles: string }>(
    "SELECT granted, platform_roles AS platformRoles FROM moderator_standing WHERE user_id = ?",
  );
  return {
    /** The moderator rule (moderators.ts) on what the log says of the user. */
    isModerator(userId: string): boolean {
      const row = standing.get(userId);
      return row !== undefined && isModerator({ granted: row.granted === 1, platformRoles: JSON.parse(row.platformRoles) as string[] });
    },
  };
}

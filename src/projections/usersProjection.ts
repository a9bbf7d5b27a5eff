// Users by id, for names next to messages and in lists: a local user's username, a platform user's
// name from their newest token (their `sub` until they have signed in once).
import type Database from "better-sqlite3";
import type { Projection } from "./projection.ts";

export const usersProjection: Projection = {
  name: "users",
  streams: ["user"],
  schema: `CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, username TEXT NOT NULL, registered_at TEXT NOT NULL, platform_sub TEXT, picture TEXT);`,
  prepare(db) {
    const insert = db.prepare("INSERT OR IGNORE INTO users (id, username, registered_at, platform_sub) VALUES (?, ?, ?, ?)");
    const profile = db.prepare(
      `INSERT INTO users (id, username, registered_at, platform_sub, picture) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, platform_sub = excluded.platform_sub, picture = excluded.picture`,
    );
    return (projected) => {
      if (projected.stream !== "user") return;
      const { event } = projected;
      switch (event.type) {
        case "UserRegistered":
          insert.run(event.data.userId, event.data.username, event.data.registeredAt, null);
          return;
        case "PlatformUserLinked":
          insert.run(event.data.userId, event.data.sub, event.data.linkedAt, event.data.sub);
          return;
        case "PlatformProfileRecorded":
          profile.run(event.data.userId, event.data.name, event.data.recordedAt, event.data.sub, event.data.picture ?? null);
          return;
        default:
          return;
      }
    };
  },
};

export interface UserView {
  id: string;
  username: string;
  /** The platform's id for a platform user (their token's `sub`); null for a local account. */
  platformSub: string | null;
  picture: string | null;
}

export function usersQueries(db: Database.Database) {
  const byId = db.prepare<[string], UserView>("SELECT id, username, platform_sub AS platformSub, picture FROM users WHERE id = ?");
  return {
    userById: (id: string): UserView | undefined => byId.get(id),
  };
}

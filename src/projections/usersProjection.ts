// Users by id, for names next to messages and in lists: a local user's username, a platform user's
// name from their newest token (their `sub` until they have signed in once).
import type Database from "better-sqlite3";
import type { Projection } from "./projection.ts";

export const usersProjection = {
  name: "users",
  streams: ["user"],
  schema: `CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, username TEXT NOT NULL, registered_at TEXT NOT NULL, platform_sub TEXT, picture TEXT);
    CREATE TABLE IF NOT EXISTS user_avatars (user_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL, changed_at TEXT NOT NULL);`,
  prepare(db) {
    const insert = db.prepare("INSERT OR IGNORE INTO users (id, username, registered_at, platform_sub) VALUES (?, ?, ?, ?)");
    const profile = db.prepare(
      `INSERT INTO users (id, username, registered_at, platform_sub, picture) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, platform_sub = excluded.platform_sub, picture = excluded.picture`,
    );
    // A person's own photo (avatarEvents.ts): the newest one stands.
    const setAvatar = db.prepare(
      `INSERT INTO user_avatars (user_id, sha256, content_type, size, changed_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET sha256 = excluded.sha256, content_type = excluded.content_type, size = excluded.size, changed_at = excluded.changed_at`,
    );
    const removeAvatar = db.prepare("DELETE FROM user_avatars WHERE user_id = ?");
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
        case "AvatarChanged":
          setAvatar.run(event.data.userId, event.data.sha256, event.data.contentType, event.data.size, event.data.changedAt);
          return;
        case "AvatarRemoved":
          removeAvatar.run(event.data.userId);
          return;
        default:
          return;
      }
    };
  },
  queries: usersQueries,
} satisfies Projection;

export interface UserView {
  id: string;
  username: string;
  /** The platform's id for a platform user (their token's `sub`); null for a local account. */
  platformSub: string | null;
  picture: string | null;
}

/** A person's own photo: served from the blob store under its hash. */
export interface UploadedAvatar {
  userId: string;
  sha256: string;
  contentType: string;
  size: number;
}

export function usersQueries(db: Database.Database) {
  const byId = db.prepare<[string], UserView>("SELECT id, username, platform_sub AS platformSub, picture FROM users WHERE id = ?");
  const avatar = db.prepare<[string], UploadedAvatar>("SELECT user_id AS userId, sha256, content_type AS contentType, size FROM user_avatars WHERE user_id = ?");
  return {
    userById: (id: string): UserView | undefined => byId.get(id),
    uploadedAvatarOf: (userId: string): UploadedAvatar | undefined => avatar.get(userId),
  };
}

// Users by id, for names next to messages and in lists.
import type Database from "better-sqlite3";
import type { Projection } from "./projection.ts";

export const usersProjection: Projection = {
  name: "users",
  streams: ["user"],
  schema: `CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, username TEXT NOT NULL, registered_at TEXT NOT NULL);`,
  prepare(db) {
    const insert = db.prepare("INSERT OR IGNORE INTO users (id, username, registered_at) VALUES (?, ?, ?)");
    return (projected) => {
      if (projected.stream !== "user" || projected.event.type !== "UserRegistered") return;
      const { userId, username, registeredAt } = projected.event.data;
      insert.run(userId, username, registeredAt);
    };
  },
};

export interface UserView {
  id: string;
  username: string;
}

export function usersQueries(db: Database.Database) {
  const byId = db.prepare<[string], UserView>("SELECT id, username FROM users WHERE id = ?");
  return {
    userById: (id: string): UserView | undefined => byId.get(id),
  };
}

// A read model file written by an older version (other table shapes) is emptied when opened, so
// the runner rebuilds it from the log instead of failing on, or silently missing, new columns.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openReadModelDatabase, readCheckpoint, readModelVersion } from "../../src/projections/readModelDatabase.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { declaredReadModels } from "../../src/app/declaredParts.ts";

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

describe("read model versions", () => {
  it("empties a file of an older version (no user_version) and marks it current", () => {
    const dir = makeTempDir("readmodel-version");
    dirs.push(dir);
    const file = join(dir.path, "readmodels.db");
    const old = new Database(file);
    old.exec(`CREATE TABLE checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), position TEXT NOT NULL);
      INSERT INTO checkpoint VALUES (1, '42');
      CREATE TABLE messages (giveaway_id TEXT NOT NULL, revision INTEGER NOT NULL, id TEXT NOT NULL, sender_id TEXT NOT NULL,
        content TEXT NOT NULL, sent_at TEXT NOT NULL, PRIMARY KEY (giveaway_id, revision));
      INSERT INTO messages VALUES ('g', 3, 'm', 's', 'hi', '2025-01-01T00:00:00.000Z');`);
    old.close();

    const db = openReadModelDatabase(file, declaredReadModels);
    try {
      expect(readCheckpoint(db)).toBeUndefined(); // the runner starts from the beginning of the log
      expect(db.pragma("user_version", { simple: true })).toBe(readModelVersion);
      const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('messages')").all().map((c) => c.name);
      expect(columns).toContain("retracted_at");
      expect(db.prepare("SELECT count(*) AS n FROM messages").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it("keeps a current file as it is", () => {
    const dir = makeTempDir("readmodel-version");
    dirs.push(dir);
    const file = join(dir.path, "readmodels.db");
    const first = openReadModelDatabase(file, declaredReadModels);
    first.prepare("INSERT INTO checkpoint (id, position) VALUES (1, '7')").run();
    first.close();
    const again = openReadModelDatabase(file, declaredReadModels);
    try {
      expect(readCheckpoint(again)).toBe(7n);
    } finally {
      again.close();
    }
  });
});

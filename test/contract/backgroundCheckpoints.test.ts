// The embedded store's and the read models' WAL is checkpointed by a worker thread, not inside a
// commit on the event loop (where a 40 MB checkpoint stalled every request for 70-90 ms). Observed on
// the real files: what was committed reaches the database file while the writer stays far below its
// own autocheckpoint (so only the worker can have copied it), and closing leaves nothing behind.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { startWalCheckpointer } from "../../src/eventstore/walCheckpointer.ts";
import { makeTempDir } from "../support/tempDir.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const event = (n: number) => ({ id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`, type: "Noted", data: { n, text: "x".repeat(200) }, metadata: {} });

describe("background WAL checkpoints", () => {
  it("copy the store's commits into its file without the writer checkpointing", async () => {
    const dir = makeTempDir("checkpoints");
    const file = join(dir.path, "events.db");
    const store = openSqliteEventStore({ file, durability: "full", workerThreads: true });
    cleanups.push(async () => (await store.close(), dir.remove()));
    const sizeBefore = statSync(file).size;
    // About 150 pages: far below the writer's backstop (and below SQLite's default of 1,000 too).
    for (let start = 0; start < 500; start += 50) await store.appendToStream("notes-1", Array.from({ length: 50 }, (_, i) => event(start + i)));
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(sizeBefore + 100_000), { timeout: 5_000, interval: 50 });
    // Still readable and whole.
    expect(await store.readStream("notes-1")).toHaveLength(500);
  });

  it("stop with their worker: the file closes clean (no WAL left) and reopens with every event", async () => {
    const dir = makeTempDir("checkpoints");
    const file = join(dir.path, "events.db");
    cleanups.push(() => dir.remove());
    const store = openSqliteEventStore({ file, durability: "normal", workerThreads: true });
    await store.appendToStream("notes-2", [event(1), event(2)]);
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = openSqliteEventStore({ file, durability: "normal" });
    cleanups.push(() => reopened.close());
    expect(await reopened.readStream("notes-2")).toHaveLength(2);
  });

  it("checkpoint a read-model file the same way (the worker does the copying)", async () => {
    const dir = makeTempDir("checkpoints");
    const file = join(dir.path, "readmodels.db");
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("wal_autocheckpoint = 0"); // this connection never checkpoints by itself
    db.exec("CREATE TABLE rows (n INTEGER PRIMARY KEY, text TEXT)");
    const checkpointer = startWalCheckpointer(file, { synchronous: "NORMAL", intervalMs: 50 });
    cleanups.push(async () => (await checkpointer.close(), db.close(), dir.remove()));
    const sizeBefore = statSync(file).size;
    const insert = db.prepare("INSERT INTO rows (text) VALUES (?)");
    db.transaction(() => {
      for (let n = 0; n < 1000; n++) insert.run("y".repeat(200));
    })();
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(sizeBefore + 100_000), { timeout: 5_000, interval: 50 });
  });
});

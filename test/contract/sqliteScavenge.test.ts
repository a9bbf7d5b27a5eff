// The embedded store's scavenge: events hidden by $maxAge / $maxCount leave the file; others stay.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { makeTempDir } from "../support/tempDir.ts";

const dir = makeTempDir("scavenge");
afterEach(() => dir.remove());

const event = (n: number) => ({ id: randomUUID(), type: "Signalled", data: { n } });
const countIn = (file: string, streamId: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM events WHERE stream_id = ?").get(streamId)!.n;
  } finally {
    db.close();
  }
};

it("deletes what the metadata hides, keeps the rest, and other streams are untouched", async () => {
  let clock = Date.parse("2026-01-01T00:00:00Z");
  const file = join(dir.path, "events.db");
  const store = openSqliteEventStore({ file, now: () => new Date(clock), scavengeIntervalMs: 50 });
  try {
    await store.setStreamMetadata("presence-a", { maxCount: 2 });
    await store.setStreamMetadata("typing-a", { maxAge: 10 });
    await store.appendToStream("presence-a", [0, 1, 2, 3].map(event));
    await store.appendToStream("typing-a", [event(0)]);
    await store.appendToStream("giveaway-a", [0, 1, 2, 3].map(event));
    clock += 5_000;
    await store.appendToStream("typing-a", [event(1)]);
    clock += 6_000; // typing-a@0 is now 11 s old, typing-a@1 6 s
    expect((await store.readStream("typing-a")).map((e) => e.revision)).toEqual([1n]);
    await expect.poll(() => countIn(file, "presence-a"), { timeout: 5_000 }).toBe(2);
    await expect.poll(() => countIn(file, "typing-a"), { timeout: 5_000 }).toBe(1);
    expect(countIn(file, "giveaway-a")).toBe(4);
    expect((await store.readStream("presence-a")).map((e) => e.revision)).toEqual([2n, 3n]);
  } finally {
    await store.close();
  }
});

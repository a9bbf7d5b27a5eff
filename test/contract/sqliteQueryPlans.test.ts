// The embedded store's hot statements reach their rows through an index, never a scan of a stream
// or the log: a send must cost the same at message 10 and at message 100,000 of a conversation.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { openSqliteEventStore, storeQueries } from "../../src/eventstore/sqlite.ts";
import { makeTempDir } from "../support/tempDir.ts";

const dir = makeTempDir("query-plans");
afterEach(() => dir.remove());

/** Which columns each statement must look its rows up by (what EXPLAIN QUERY PLAN shows in brackets). */
const expectedSearch: Record<keyof typeof storeQueries, string | undefined> = {
  streamRevision: "stream_id=?",
  eventIdAt: "stream_id=? AND revision=?",
  firstRevisionOfId: "stream_id=? AND event_id=?",
  insertEvent: undefined,
  upsertStream: undefined,
  readForwards: "stream_id=? AND revision>?",
  readBackwards: "stream_id=? AND revision>? AND revision<?",
  maxPosition: undefined,
};

it("looks every hot row up by its whole key, on a store that holds a long conversation", async () => {
  const file = join(dir.path, "events.db");
  const store = openSqliteEventStore({ file, durability: "normal" });
  const events = Array.from({ length: 2000 }, (_, n) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, type: "MessageSent", data: { n } }));
  await store.appendToStream("giveaway-long", events);
  await store.close();
  const db = new Database(file, { readonly: true });
  try {
    for (const [name, sql] of Object.entries(storeQueries) as [keyof typeof storeQueries, string][]) {
      const parameters = Array.from({ length: sql.split("?").length - 1 }, () => "x");
      const plan = db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters).map((row) => row.detail).join("; ");
      expect(plan, name).not.toMatch(/\bSCAN events\b/);
      const search = expectedSearch[name];
      if (search) expect(plan, name).toContain(`(${search})`);
    }
  } finally {
    db.close();
  }
});

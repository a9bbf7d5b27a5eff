import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { describeEventStore } from "./eventStoreContract.ts";
import { describeStreamMetadata } from "./streamMetadataContract.ts";

describeEventStore("embedded SQLite", async () => {
  const dir = makeTempDir("contract");
  const store = openSqliteEventStore({ file: join(dir.path, "events.db") });
  return {
    store,
    async dispose() {
      await store.close();
      dir.remove();
    },
  };
});

// As the server opens it: appends committed on the append thread, the WAL checkpointed by another.
describeEventStore("embedded SQLite, appends on a worker thread", async () => {
  const dir = makeTempDir("contract");
  const store = openSqliteEventStore({ file: join(dir.path, "events.db"), workerThreads: true });
  return {
    store,
    async dispose() {
      await store.close();
      dir.remove();
    },
  };
});

describe("embedded SQLite: append outcomes", () => {
  it("tells an identical re-append (any expectation) from a write exactly", async () => {
    const dir = makeTempDir("contract");
    const store = openSqliteEventStore({ file: join(dir.path, "events.db") });
    try {
      const head = [{ id: randomUUID(), type: "Happened", data: { n: 0 } }];
      const batch = [{ id: randomUUID(), type: "Happened", data: { n: 1 } }];
      const outcomes = [(await store.appendToStream("outcome-1", head, { expectedRevision: "no_stream" })).outcome];
      for (const expectedRevision of [0n, 0n, "any", "stream_exists"] as const) {
        outcomes.push((await store.appendToStream("outcome-1", batch, { expectedRevision })).outcome);
      }
      outcomes.push((await store.appendToStream("outcome-1", head, { expectedRevision: "no_stream" })).outcome);
      expect(outcomes).toEqual(["written", "written", "deduplicated", "deduplicated", "deduplicated", "deduplicated"]);
      expect(await store.readStream("outcome-1")).toHaveLength(2);
    } finally {
      await store.close();
      dir.remove();
    }
  });
});

describeStreamMetadata("embedded SQLite", async () => {
  const dir = makeTempDir("metadata");
  const store = openSqliteEventStore({ file: join(dir.path, "events.db") });
  return {
    store,
    async dispose() {
      await store.close();
      dir.remove();
    },
  };
});

// The server's store commits appends on a worker thread: the event loop goes on turning while a
// durable commit (and its fsync) runs, instead of waiting for it; what close finds accepted is committed.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { startAppendThread } from "../../src/eventstore/sqliteAppendThread.ts";
import { makeTempDir } from "../support/tempDir.ts";

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function storeFile(): string {
  const dir = makeTempDir("append-thread");
  dirs.push(dir);
  return join(dir.path, "events.db");
}

const batch = (n: number) => Array.from({ length: n }, (_, i) => ({ id: randomUUID(), type: "Happened", data: { i, text: "x".repeat(200) } }));

/** Event-loop turns (setImmediate) taken while `work` is pending. */
async function turnsDuring(work: Promise<unknown>): Promise<number> {
  let done = false;
  void work.finally(() => (done = true));
  let turns = 0;
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    turns += 1;
  }
  await work;
  return turns;
}

it("the event loop keeps turning while an append commits (the commit runs on the append thread)", async () => {
  const store = openSqliteEventStore({ file: storeFile(), workerThreads: true });
  try {
    await store.appendToStream("warm-1", batch(1)); // the worker has started
    const turns = await turnsDuring(store.appendToStream("big-1", batch(2000)));
    expect(turns).toBeGreaterThan(10);
    expect(await store.readStream("big-1")).toHaveLength(2000);
  } finally {
    await store.close();
  }
});

it("on the event loop (no append thread) the same commit takes the loop for its whole length", async () => {
  const store = openSqliteEventStore({ file: storeFile() });
  try {
    await store.appendToStream("warm-1", batch(1));
    expect(await turnsDuring(store.appendToStream("big-1", batch(2000)))).toBeLessThanOrEqual(3);
  } finally {
    await store.close();
  }
});

it("close commits every append it accepted, in order, before the connection closes", async () => {
  const file = storeFile();
  const store = openSqliteEventStore({ file, workerThreads: true });
  const appends = Array.from({ length: 50 }, () => store.appendToStream("closing-1", batch(3)));
  await store.close();
  const results = await Promise.all(appends);
  expect(results.map((result) => result.nextExpectedRevision)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i * 3 + 2)));
  const reopened = openSqliteEventStore({ file });
  try {
    expect(await reopened.readStream("closing-1")).toHaveLength(150);
  } finally {
    await reopened.close();
  }
});

it("an append thread that cannot run fails every append as the store being away (503 store_unavailable)", async () => {
  // Its connection cannot open: the file is not there (the thread opens only an existing file).
  const thread = startAppendThread(join(storeFile(), "missing", "events.db"), "FULL", 5000);
  const request = { streamId: "gone-1", events: batch(1), expected: "any" as const, created: 0n };
  await expect(thread.commit([request])).rejects.toMatchObject({ code: "unavailable" });
  await expect(thread.commit([request])).rejects.toMatchObject({ code: "unavailable" });
  await thread.close();
});

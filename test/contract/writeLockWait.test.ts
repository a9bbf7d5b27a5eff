// Another process holding the store's write lock: the append thread waits for it in short steps
// (SQLite's own busy handler sleeps up to 25 ms and more between tries) and then commits; past the
// timeout the append fails as the store being unavailable (503, retry) rather than hanging. The
// policy with a fake clock; the thread on a real file.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { classifyFailure } from "../../src/http/edge/failures.ts";
import { hasErrorCode } from "../../src/eventstore/port.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { whenWriteLockFree } from "../../src/eventstore/writeLockWait.ts";
import { makeTempDir } from "../support/tempDir.ts";

const busy = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });

/** A fake clock that moves only when the waiter pauses. */
function fakeThread() {
  let now = 0;
  const pauses: number[] = [];
  return {
    pauses,
    deps: {
      now: () => now,
      pause: (ms: number) => {
        pauses.push(ms);
        now += ms;
      },
    },
  };
}

it("tries again after 50 µs, doubling each time up to 2 ms, until the lock is free", () => {
  const thread = fakeThread();
  let refusals = 8;
  const result = whenWriteLockFree(() => {
    if (refusals-- > 0) throw busy();
    return "committed";
  }, thread.deps);
  expect(result).toBe("committed");
  expect(thread.pauses).toEqual([0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 2, 2]);
});

it("the extended busy codes (a WAL being recovered, a stale snapshot) are waited out too", () => {
  const thread = fakeThread();
  const refusals = ["SQLITE_BUSY_RECOVERY", "SQLITE_BUSY_SNAPSHOT"];
  const result = whenWriteLockFree(() => {
    const code = refusals.shift();
    if (code) throw Object.assign(new Error("database is locked"), { code });
    return "committed";
  }, thread.deps);
  expect(result).toBe("committed");
  expect(thread.pauses).toEqual([0.05, 0.1]);
});

it("any other failure is thrown at once, without waiting", () => {
  const thread = fakeThread();
  const full = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
  expect(() =>
    whenWriteLockFree(() => {
      throw full;
    }, thread.deps),
  ).toThrow(full);
  expect(thread.pauses).toEqual([]);
});

it("a lock held past the timeout fails the commit with the busy error", () => {
  const thread = fakeThread();
  let tries = 0;
  expect(() =>
    whenWriteLockFree(
      () => {
        tries += 1;
        throw busy();
      },
      { ...thread.deps, timeoutMs: 100 },
    ),
  ).toThrow(/locked/);
  const waited = thread.pauses.reduce((sum, ms) => sum + ms, 0);
  expect(waited).toBeGreaterThanOrEqual(100);
  expect(waited).toBeLessThan(102);
  expect(tries).toBe(thread.pauses.length + 1);
});

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

it("the append thread waits while another connection holds the write lock, then commits", async () => {
  const dir = makeTempDir("write-lock");
  dirs.push(dir);
  const file = join(dir.path, "events.db");
  const store = openSqliteEventStore({ file, workerThreads: true });
  const other = new Database(file);
  try {
    await store.appendToStream("warm-1", [{ id: randomUUID(), type: "Happened", data: {} }]);
    other.prepare("BEGIN IMMEDIATE").run(); // another process's writer, mid-transaction
    let settled = false;
    // Settles with the result or the error (a refusal must fail the assertions below, not escape).
    const append = store.appendToStream("held-1", [{ id: randomUUID(), type: "Happened", data: { n: 1 } }]).then(
      (result) => ((settled = true), result),
      (error: unknown) => ((settled = true), error),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(settled).toBe(false); // still waiting for the lock, not refused
    other.prepare("COMMIT").run();
    expect(await append).toMatchObject({ outcome: "written" });
    expect(await store.readStream("held-1")).toHaveLength(1);
  } finally {
    other.close();
    await store.close();
  }
});

for (const workerThreads of [true, false]) {
  it(`a lock held past the timeout fails the append as the store being unavailable: 503, nothing written (${workerThreads ? "append thread" : "on the event loop"})`, async () => {
    const dir = makeTempDir("write-lock-timeout");
    dirs.push(dir);
    const file = join(dir.path, "events.db");
    const store = openSqliteEventStore({ file, workerThreads, writeLockTimeoutMs: 200 });
    const other = new Database(file);
    try {
      await store.appendToStream("warm-1", [{ id: randomUUID(), type: "Happened", data: {} }]);
      other.prepare("BEGIN IMMEDIATE").run();
      const started = Date.now();
      const error = await store.appendToStream("held-1", [{ id: randomUUID(), type: "Happened", data: {} }]).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(150); // it waited for the lock first
      expect(hasErrorCode(error, "unavailable")).toBe(true);
      expect(classifyFailure(error)).toMatchObject({ code: "store_unavailable", clientFault: false });
      other.prepare("COMMIT").run();
      await expect(store.readStream("held-1")).rejects.toMatchObject({ code: "stream_not_found" });
      // The lock free again, the same append goes through.
      expect(await store.appendToStream("held-1", [{ id: randomUUID(), type: "Happened", data: {} }])).toMatchObject({ outcome: "written" });
    } finally {
      other.close();
      await store.close();
    }
  });
}

// A filtered catch-up subscription over the embedded store's log must not rescan what its filter
// dropped: following `typing-` while thousands of messages are written costs one look at each
// message, not one look at every message since the last typing signal on every commit.
import { expect, it } from "vitest";
import type { RecordedEvent } from "../../src/eventstore/port.ts";
import { createPollingSubscription, type CommitInfo } from "../../src/eventstore/sqliteSubscription.ts";

interface LoggedEvent {
  position: bigint;
  streamId: string;
}

function fakeLog() {
  const log: LoggedEvent[] = [];
  const listeners = new Set<(info: CommitInfo | undefined) => void>();
  let rowsLookedAt = 0;
  let reads = 0;
  return {
    log,
    rowsLookedAt: () => rowsLookedAt,
    reads: () => reads,
    hooks: {
      onCommit(listener: (info: CommitInfo | undefined) => void) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    },
    /** `known`: this process's own commit (what it wrote is known); otherwise one seen by polling. */
    append(streamId: string, known = false) {
      const position = BigInt(log.length + 1);
      log.push({ position, streamId });
      const info: CommitInfo | undefined = known ? { streamIds: new Set([streamId]), positions: { from: position, to: position } } : undefined;
      for (const listener of [...listeners]) listener(info);
    },
    /** Like the store's filtered read: looks at every row after the cursor, keeps the matching ones. */
    readAfter(after: bigint, prefix: string) {
      reads += 1;
      const looked = log.filter((row) => row.position > after);
      rowsLookedAt += looked.length;
      const events = looked
        .filter((row) => row.streamId.startsWith(prefix))
        .map((row) => ({ id: String(row.position), type: "T", data: {}, metadata: {}, streamId: row.streamId, revision: 0n, position: row.position, created: new Date(0) }) satisfies RecordedEvent);
      return { events, scannedTo: log.length === 0 ? 0n : log[log.length - 1]!.position };
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A subscription to `typing-` streams over the fake log, as the typing signals open one: the streams it has seen. */
function followTyping(store: ReturnType<typeof fakeLog>) {
  const subscription = createPollingSubscription({
    after: 0n,
    readAfter: (after) => store.readAfter(after, "typing-"),
    cursorOf: (event) => event.position,
    pageSize: 1000,
    hooks: store.hooks,
    follows: (streamId) => streamId.startsWith("typing-"),
    positional: true,
    onStop: () => {},
  });
  const seen: string[] = [];
  const following = (async () => {
    for await (const item of subscription) if (item.kind === "event") seen.push(item.event.streamId);
  })();
  return { seen, stop: async () => (await subscription.stop(), await following) };
}

it("looks at each unmatched event once, however many commits wake it", async () => {
  const store = fakeLog();
  const { seen, stop } = followTyping(store);
  await turn();
  const messages = 2000;
  for (let i = 0; i < messages; i += 1) {
    store.append("giveaway-a");
    await turn();
    if (i === 1000) store.append("typing-a");
  }
  store.append("typing-b");
  await expect.poll(() => seen).toEqual(["typing-a", "typing-b"]);
  // Each of the 2,002 rows is looked at about once (a commit may land between a read and its wait).
  expect(store.rowsLookedAt()).toBeLessThan(2 * (messages + 2));
  await stop();
});

it("reads nothing for this process's own commits it does not follow, and still sees a gap", async () => {
  const store = fakeLog();
  const { seen, stop } = followTyping(store);
  await turn();
  const readsAtStart = store.reads();
  for (let i = 0; i < 500; i += 1) {
    store.append("giveaway-a", true);
    await turn();
  }
  expect(store.reads()).toBe(readsAtStart);
  // Another process's typing signal (no info), then one of ours right after it: a gap, so a read.
  store.log.push({ position: BigInt(store.log.length + 1), streamId: "typing-elsewhere" });
  store.append("giveaway-a", true);
  await expect.poll(() => seen).toEqual(["typing-elsewhere"]);
  store.append("typing-here", true);
  await expect.poll(() => seen).toEqual(["typing-elsewhere", "typing-here"]);
  await stop();
});

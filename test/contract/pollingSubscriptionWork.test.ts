// A filtered catch-up subscription over the embedded store's log must not rescan what its filter
// dropped: following `typing-` while thousands of messages are written costs one look at each
// message, not one look at every message since the last typing signal on every commit.
import { expect, it } from "vitest";
import type { RecordedEvent } from "../../src/eventstore/port.ts";
import { createPollingSubscription } from "../../src/eventstore/sqliteSubscription.ts";

interface LoggedEvent {
  position: bigint;
  streamId: string;
}

function fakeLog() {
  const log: LoggedEvent[] = [];
  let commits = 0;
  const listeners = new Set<() => void>();
  let rowsLookedAt = 0;
  return {
    log,
    rowsLookedAt: () => rowsLookedAt,
    hooks: {
      commitCount: () => commits,
      onCommit(listener: () => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    append(streamId: string) {
      log.push({ position: BigInt(log.length + 1), streamId });
      commits += 1;
      for (const listener of [...listeners]) listener();
    },
    /** Like the store's filtered read: looks at every row after the cursor, keeps the matching ones. */
    readAfter(after: bigint, prefix: string) {
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

it("looks at each unmatched event once, however many commits wake it", async () => {
  const store = fakeLog();
  const subscription = createPollingSubscription({
    after: 0n,
    readAfter: (after) => store.readAfter(after, "typing-"),
    cursorOf: (event) => event.position,
    pageSize: 1000,
    hooks: store.hooks,
    onStop: () => {},
  });
  const seen: string[] = [];
  const following = (async () => {
    for await (const item of subscription) if (item.kind === "event") seen.push(item.event.streamId);
  })();
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
  await subscription.stop();
  await following;
});

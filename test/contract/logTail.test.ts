// The embedded store's tail of the log (src/eventstore/logTail.ts) over a fake log that counts what
// it is asked to read: followers at different places near the head share reads, a follower far
// behind reads for itself, and what the tail hands out is the log, whole and in order.
import { expect, it } from "vitest";
import { createLogTail } from "../../src/eventstore/logTail.ts";
import type { RecordedEvent } from "../../src/eventstore/port.ts";

function fakeLog(filter: (n: number) => boolean = () => true) {
  const events: RecordedEvent[] = [];
  let head = 0n;
  const reads: { after: bigint; rows: number }[] = [];
  return {
    reads,
    head: () => head,
    append(count: number) {
      for (let i = 0; i < count; i++) {
        head += 1n;
        if (filter(Number(head))) events.push({ id: `e${head}`, type: "Probe", data: { n: Number(head) }, metadata: null, streamId: "s", revision: head, position: head, created: new Date(0) });
      }
    },
    read(after: bigint, limit: number) {
      const rows = events.filter((event) => event.position > after).slice(0, limit);
      reads.push({ after, rows: rows.length });
      return rows;
    },
  };
}

/** Follows the tail from `after` to the head, page by page, as the polling subscription does. */
function drain(tail: ReturnType<typeof createLogTail>, after: bigint, head: bigint, pageSize: number) {
  const seen: RecordedEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = tail.pageAfter(cursor, head);
    for (const event of page.events) {
      seen.push(event);
      cursor = event.position;
    }
    if (page.scannedTo > cursor) cursor = page.scannedTo;
    if (page.events.length < pageSize) return { seen, cursor };
  }
}

it("reads each commit once for followers that reach it at different times", () => {
  const log = fakeLog();
  const tail = createLogTail({ pageSize: 10, capacity: 20, read: (after, limit) => log.read(after, limit) });
  log.append(3);
  const a = drain(tail, 0n, log.head(), 10);
  log.append(2);
  const b = drain(tail, 0n, log.head(), 10); // behind by two commits
  const c = drain(tail, a.cursor, log.head(), 10);
  expect(b.seen.map((event) => event.position)).toEqual([1n, 2n, 3n, 4n, 5n]);
  expect(b.seen[0]).toBe(a.seen[0]);
  expect(c.seen.map((event) => event.position)).toEqual([4n, 5n]);
  expect(c.seen[0]).toBe(b.seen[3]);
  // One read from the start, one for the second commit: nothing read twice.
  expect(log.reads).toEqual([{ after: 0n, rows: 3 }, { after: 3n, rows: 2 }]);
});

it("never changes a page it handed out, and moves a filter's cursor past what it dropped", () => {
  const log = fakeLog((n) => n % 3 === 0);
  const tail = createLogTail({ pageSize: 10, capacity: 20, read: (after, limit) => log.read(after, limit) });
  log.append(7);
  const first = tail.pageAfter(0n, log.head());
  const handedOut = [...first.events];
  log.append(5);
  const later = tail.pageAfter(0n, log.head());
  expect(first.events).toEqual(handedOut);
  expect(later.events.map((event) => event.position)).toEqual([3n, 6n, 9n, 12n]);
  // Every position up to the head was looked at, matching or not.
  expect(later.scannedTo).toBe(12n);
  const none = tail.pageAfter(12n, log.head());
  expect(none).toEqual({ events: [], scannedTo: 12n });
});

it("lets a follower far behind read for itself, page by page, and keeps at most its capacity", () => {
  const log = fakeLog();
  const tail = createLogTail({ pageSize: 10, capacity: 20, read: (after, limit) => log.read(after, limit) });
  log.append(55);
  const behind = drain(tail, 0n, log.head(), 10);
  expect(behind.seen.map((event) => event.position)).toEqual(Array.from({ length: 55 }, (_, i) => BigInt(i + 1)));
  expect(behind.cursor).toBe(55n);
  // A follower at the head, one commit of three at a time: the tail grows by each, then drops its oldest.
  let cursor = 55n;
  for (let commit = 0; commit < 10; commit++) {
    log.append(3);
    cursor = drain(tail, cursor, log.head(), 10).cursor;
  }
  expect(cursor).toBe(85n);
  const reads = log.reads.length;
  // Within the last 20 (66..85): served from memory.
  expect(drain(tail, 70n, log.head(), 10).seen.map((event) => event.position)).toEqual(Array.from({ length: 15 }, (_, i) => BigInt(i + 71)));
  expect(log.reads.length).toBe(reads);
  // Before them: a read of its own, which finds the same events.
  expect(drain(tail, 60n, log.head(), 10).seen.map((event) => event.position)).toEqual(Array.from({ length: 25 }, (_, i) => BigInt(i + 61)));
  expect(log.reads.length).toBeGreaterThan(reads);
});

it("gives a page of at most pageSize from the tail and says there may be more", () => {
  const log = fakeLog();
  const tail = createLogTail({ pageSize: 4, capacity: 8, read: (after, limit) => log.read(after, limit) });
  log.append(3);
  tail.pageAfter(0n, log.head());
  log.append(3);
  tail.pageAfter(3n, log.head()); // the tail now holds 1..6
  const page = tail.pageAfter(0n, log.head());
  expect(page.events.map((event) => event.position)).toEqual([1n, 2n, 3n, 4n]);
  expect(page.scannedTo).toBe(4n);
  expect(tail.pageAfter(4n, log.head()).events.map((event) => event.position)).toEqual([5n, 6n]);
});

// The newest stretch of the log one filter's followers read, kept in memory. The followers at the head
// (the read models, each durable reactor) take their pages from it, each at its own place: a commit is
// read from SQLite, and parsed, once, however many follow the log and whenever each gets to it.
import type { RecordedEvent } from "./port.ts";

/** A page after a cursor, and how far the read looked (past events a filter dropped). */
export interface TailPage {
  events: RecordedEvent[];
  scannedTo: bigint;
}

export interface LogTailOptions {
  /** The most events one page hands out; a read of this many means there may be more. */
  pageSize: number;
  /** The most events kept; the oldest go first. */
  capacity: number;
  /** The filter's events after a position, in log order, at most `limit`. */
  read(after: bigint, limit: number): RecordedEvent[];
}

export interface LogTail {
  /** The page after `after`; every position up to `head` is known to be committed. */
  pageAfter(after: bigint, head: bigint): TailPage;
}

export function createLogTail(options: LogTailOptions): LogTail {
  const { pageSize, capacity, read } = options;
  // Every event of the filter in (from, to] is in `events`, in order. Never changed in place: a
  // follower may still be walking an array it was handed.
  let tail: { from: bigint; to: bigint; events: RecordedEvent[] } | undefined;

  /** How far a read from `after` looked: a short one saw every committed position up to the head. */
  const scannedTo = (rows: RecordedEvent[], after: bigint, head: bigint): bigint => {
    const last = rows.at(-1)?.position ?? after;
    if (rows.length >= pageSize) return last;
    return last > head ? last : head > after ? head : after;
  };

  const keep = (from: bigint, to: bigint, events: RecordedEvent[]) => {
    const drop = events.length - capacity;
    tail = drop > 0 ? { from: events[drop - 1]!.position, to, events: events.slice(drop) } : { from, to, events };
  };

  /** The index of the first event after `after` (events are in position order). */
  const firstAfter = (events: RecordedEvent[], after: bigint) => {
    let low = 0;
    let high = events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (events[middle]!.position <= after) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  return {
    pageAfter(after, head) {
      if (tail && tail.from <= after && after <= tail.to && tail.to < head) {
        // Behind the head: read only what is newer than the tail.
        const rows = read(tail.to, pageSize);
        if (rows.length < pageSize) keep(tail.from, scannedTo(rows, tail.to, head), tail.events.concat(rows));
        else tail = undefined; // far behind: the followers read for themselves until one reaches the head
      }
      if (!tail || after < tail.from || after > tail.to) {
        const rows = read(after, pageSize);
        const page = { events: rows, scannedTo: scannedTo(rows, after, head) };
        // A read that reached the head becomes the tail.
        if (rows.length < pageSize) keep(after, page.scannedTo, rows);
        return page;
      }
      const start = firstAfter(tail.events, after);
      const events = tail.events.slice(start, start + pageSize);
      return { events, scannedTo: start + pageSize >= tail.events.length ? tail.to : events.at(-1)!.position };
    },
  };
}

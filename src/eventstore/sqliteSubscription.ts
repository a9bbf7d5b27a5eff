// A catch-up subscription as a pull loop over the log: read after the cursor, yield, wait for a commit.
import type { RecordedEvent, Subscription, SubscriptionItem } from "./port.ts";

/**
 * What this process's own commit wrote: its streams and the log positions it took (consecutive:
 * one writer at a time). Commits seen only by polling the file (other processes) carry none.
 */
export interface CommitInfo {
  streamIds: ReadonlySet<string>;
  /** Undefined when the commit wrote no event (every append deduplicated or refused). */
  positions: { from: bigint; to: bigint } | undefined;
}

export interface CommitHooks {
  onCommit(listener: (info: CommitInfo | undefined) => void): () => void;
}

/** A page of events after a cursor, and how far the read looked (past events a filter dropped). */
export interface PolledPage {
  events: RecordedEvent[];
  /** Every event up to here was seen; the next read may start after it even if none matched. */
  scannedTo: bigint;
}

export interface PollingSubscriptionOptions {
  /** Exclusive cursor (revision or position). */
  after: bigint;
  readAfter(after: bigint): PolledPage;
  cursorOf(event: RecordedEvent): bigint;
  pageSize: number;
  hooks: CommitHooks;
  /** Whether a stream's events could be in this subscription: a commit touching none needs no read. */
  follows(streamId: string): boolean;
  /**
   * The cursor is a log position (a $all subscription): a commit this subscription does not follow
   * moves it past that commit's positions without a read, if nothing can lie between.
   */
  positional: boolean;
  onStop(): void;
}

export function createPollingSubscription(options: PollingSubscriptionOptions): Subscription {
  let stopped = false;
  let wake: (() => void) | undefined;
  // Since the last read: must the next one happen, and which positions did unfollowed commits take?
  let mustRead = true;
  let skipped: { from: bigint; to: bigint } | undefined;

  const unsubscribe = options.hooks.onCommit((info) => {
    if (!info || [...info.streamIds].some((streamId) => options.follows(streamId))) mustRead = true;
    else if (options.positional && info.positions) {
      // Only a run of positions with no gap may be skipped: a gap is another process's commit.
      if (skipped && info.positions.from !== skipped.to + 1n) mustRead = true;
      else skipped = { from: skipped?.from ?? info.positions.from, to: info.positions.to };
    }
    wake?.();
  });

  function waitForCommit(): Promise<void> {
    if (stopped || mustRead) return Promise.resolve();
    return new Promise((resolve) => {
      wake = () => {
        wake = undefined;
        resolve();
      };
    });
  }

  async function* items(): AsyncGenerator<SubscriptionItem> {
    let cursor = options.after;
    let caughtUp = false;
    try {
      while (!stopped) {
        if (!mustRead) {
          // Woken by commits it does not follow: step over them if they start right after the cursor.
          if (skipped && skipped.from === cursor + 1n) cursor = skipped.to;
          else if (skipped) mustRead = true;
          skipped = undefined;
          if (!mustRead) {
            await waitForCommit();
            continue;
          }
        }
        // Everything committed before this synchronous read is in it; later commits set the flags again.
        mustRead = false;
        skipped = undefined;
        const page = options.readAfter(cursor);
        const full = page.events.length >= options.pageSize;
        for (const event of page.events) {
          if (stopped) return;
          cursor = options.cursorOf(event);
          yield { kind: "event", event };
        }
        // A filtered read skips what it dropped, so the next one never scans it again.
        if (page.scannedTo > cursor) cursor = page.scannedTo;
        if (full) {
          mustRead = true;
          continue;
        }
        if (!caughtUp) {
          caughtUp = true;
          yield { kind: "caughtUp" };
        }
        await waitForCommit();
      }
    } finally {
      stopped = true;
      unsubscribe();
      options.onStop();
    }
  }

  const iterator = items();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async stop() {
      stopped = true;
      unsubscribe();
      wake?.();
      // Only finish the generator here if nobody is iterating it; otherwise its loop sees `stopped`.
      options.onStop();
    },
  };
}

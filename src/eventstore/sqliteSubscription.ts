// A catch-up subscription as a pull loop over the log: read after the cursor, yield, wait for a commit.
import type { RecordedEvent, Subscription, SubscriptionItem } from "./port.ts";

export interface CommitHooks {
  /** Grows on every commit seen; lets a waiter know it missed none between its read and its wait. */
  commitCount(): number;
  onCommit(listener: () => void): () => void;
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
  onStop(): void;
}

export function createPollingSubscription(options: PollingSubscriptionOptions): Subscription {
  let stopped = false;
  let wake: (() => void) | undefined;

  function waitForCommit(seenCommits: number): Promise<void> {
    if (stopped || options.hooks.commitCount() !== seenCommits) return Promise.resolve();
    return new Promise((resolve) => {
      const unsubscribe = options.hooks.onCommit(() => done());
      const done = () => {
        unsubscribe();
        wake = undefined;
        resolve();
      };
      wake = done;
    });
  }

  async function* items(): AsyncGenerator<SubscriptionItem> {
    let cursor = options.after;
    let caughtUp = false;
    try {
      while (!stopped) {
        const seenCommits = options.hooks.commitCount();
        const page = options.readAfter(cursor);
        for (const event of page.events) {
          if (stopped) return;
          cursor = options.cursorOf(event);
          yield { kind: "event", event };
        }
        // A filtered read skips what it dropped, so the next one never scans it again.
        if (page.scannedTo > cursor) cursor = page.scannedTo;
        if (page.events.length < options.pageSize) {
          if (!caughtUp) {
            caughtUp = true;
            yield { kind: "caughtUp" };
          }
          await waitForCommit(seenCommits);
        }
      }
    } finally {
      stopped = true;
      options.onStop();
    }
  }

  const iterator = items();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async stop() {
      stopped = true;
      wake?.();
      // Only finish the generator here if nobody is iterating it; otherwise its loop sees `stopped`.
      options.onStop();
    },
  };
}

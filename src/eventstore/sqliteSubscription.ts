// A catch-up subscription as a pull loop over the log: read after the cursor, yield, wait for a commit.
import type { RecordedEvent, Subscription, SubscriptionItem } from "./port.ts";

export interface CommitHooks {
  /** Grows on every commit seen; lets a waiter know it missed none between its read and its wait. */
  commitCount(): number;
  onCommit(listener: () => void): () => void;
}

export interface PollingSubscriptionOptions {
  /** Exclusive cursor (revision or position). */
  after: bigint;
  readAfter(after: bigint): RecordedEvent[];
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
        for (const event of page) {
          if (stopped) return;
          cursor = options.cursorOf(event);
          yield { kind: "event", event };
        }
        if (page.length < options.pageSize) {
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

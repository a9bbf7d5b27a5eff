// How the append thread waits for the store's write lock while another process holds it. SQLite's own
// busy handler sleeps 1, 2, 5, 10, 15, 20, 25... ms between tries, so a writer that finds the lock
// taken often wakes long after it was released: with two server processes on one store, their sends'
// p99 was ~87 ms against ~60 ms with these short steps (docs/scaling.md). The append thread can block
// its own thread without holding up a request, so it tries again in steps of 50 µs doubling to 2 ms.

/** How long an append waits for another writer before it fails (as the store being unavailable: 503, retry). */
export const writeLockTimeoutMs = 5000;

const firstStepMs = 0.05;
const longestStepMs = 2;

export interface WriteLockWaitDeps {
  /** Blocks the calling thread for about `ms` (the append thread: Atomics.wait). */
  pause(ms: number): void;
  now(): number;
  timeoutMs?: number;
}

/** SQLITE_BUSY and its extended codes (better-sqlite3 reports those: SQLITE_BUSY_RECOVERY, _SNAPSHOT, _TIMEOUT), all of which SQLite's own handler retried. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_"));
}

/**
 * Runs `commit` (a transaction that takes the write lock first, so a busy lock means nothing was done)
 * until it is not refused as busy, or the timeout passes (then the busy error is thrown).
 */
export function whenWriteLockFree<T>(commit: () => T, deps: WriteLockWaitDeps): T {
  const deadline = deps.now() + (deps.timeoutMs ?? writeLockTimeoutMs);
  for (let stepMs = firstStepMs; ; stepMs = Math.min(stepMs * 2, longestStepMs)) {
    try {
      return commit();
    } catch (error) {
      if (!isBusy(error) || deps.now() >= deadline) throw error;
      deps.pause(stepMs);
    }
  }
}

/** The pause of a worker thread: Atomics.wait on a private cell nobody notifies. */
export function threadPause(): (ms: number) => void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  return (ms) => void Atomics.wait(cell, 0, 0, ms);
}

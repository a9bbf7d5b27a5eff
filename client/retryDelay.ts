// How long to wait before the next attempt: exponential backoff with a cap and jitter, so many
// clients cut off by one restart do not all come back in the same millisecond.

export interface BackoffOptions {
  /** The first wait, in ms. */
  initialDelayMs: number;
  /** The longest wait, in ms. */
  maxDelayMs: number;
}

/** The wait before attempt `attempt + 1` (attempt counts from 0), at least what `Retry-After` asked. */
export function retryDelay(attempt: number, options: BackoffOptions, retryAfterMs: number | null = null): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.min(attempt, 30));
  const jittered = ceiling / 2 + Math.random() * (ceiling / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

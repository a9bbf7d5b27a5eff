// One clock for every process: wall-clock milliseconds with sub-millisecond resolution.
// performance.timeOrigin is the process's start on the system wall clock, so timeOrigin + now()
// is comparable across processes; the small error in timeOrigin is measured and removed by
// estimateClockOffset (see childProcess.ts), so latencies are corrected to the orchestrator's clock.
import { performance } from "node:perf_hooks";

export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the wall clock reaches `at` (ms), without drifting on a long schedule. */
export async function sleepUntil(at: number): Promise<void> {
  const wait = at - wallNow();
  if (wait > 0) await sleep(wait);
}

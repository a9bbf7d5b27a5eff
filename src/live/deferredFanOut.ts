// The hub's fan-out, one turn after the read models commit. A POST waiting on its write (read-your-
// writes) resumes in the microtasks right after the commit; fanning out there first would make its
// answer wait for every socket write to every stream. Batches keep their order; a stream opened in
// between loses nothing and sees nothing twice, since conversation feeds dedupe by revision.
import type { ProjectedEvent } from "../projections/projection.ts";

export interface DeferredFanOut {
  /** Queues a committed batch; the hub gets it on the next turn, after the waiting answers. */
  push(applied: ProjectedEvent[]): void;
  /** Publishes whatever is still queued, now (before the read models close). */
  flush(): void;
}

export function deferredFanOut(publish: (applied: ProjectedEvent[]) => void): DeferredFanOut {
  let queue: ProjectedEvent[][] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const drain = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    const batches = queue;
    queue = [];
    for (const batch of batches) publish(batch);
  };
  return {
    push(applied) {
      queue.push(applied);
      scheduled ??= setImmediate(drain);
    },
    flush: drain,
  };
}

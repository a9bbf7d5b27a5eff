// The hub's deliveries, a slice at a time. One message to a conversation followed by 1,000 streams
// is 1,000 socket writes, ~15 ms of the event loop on our 2-core machine (docs/profiles/write-path.md);
// to 5,000, ~70 ms. Delivered in one go, every other request waited behind it: the next send's
// answer, another conversation's send, a page. Deliveries now go out in the order they were asked
// for, a slice per turn of the event loop (a quarter of what waits, at least `sliceSize`); the rest
// follow on the next turns, after the I/O that came in meanwhile. A small room is still delivered at
// once, in the caller's turn.

/** Called for each (listener, event) pair, in order; it must not throw (the hub catches per listener). */
export type DeliverOne = (listener: unknown, event: unknown) => void;

interface Job {
  listeners: readonly unknown[];
  event: unknown;
  /** The next listener of this job to deliver to. */
  next: number;
}

/** Deliveries per turn at least: ~2 ms of socket writes here. */
export const defaultSliceSize = 128;

/**
 * Deliveries waiting at most. Slicing lets sends go on while a big room's fan-out is under way; a
 * sender faster than the fan-out would grow the queue without end, so past this the queue is
 * delivered at once, in the caller's turn: the event loop is held for it, and the sender's next
 * requests with it, as by every fan-out before slicing.
 */
export const maxPendingDeliveries = 50_000;

export class SlicedDelivery {
  readonly #deliverOne: DeliverOne;
  readonly #sliceSize: number;
  readonly #maxPending: number;
  readonly #jobs: Job[] = [];
  /** Deliveries asked for and not made yet. */
  #pending = 0;
  #scheduled: NodeJS.Immediate | undefined;
  #delivering = false;

  constructor(deliverOne: DeliverOne, sliceSize = defaultSliceSize, maxPending = maxPendingDeliveries) {
    this.#deliverOne = deliverOne;
    this.#sliceSize = sliceSize;
    this.#maxPending = maxPending;
  }

  /**
   * Delivers `event` to each of `listeners` (a snapshot: who listens when it is asked for), after
   * everything asked for before it. Nothing waiting: the first slice goes out now.
   */
  add(listeners: readonly unknown[], event: unknown): void {
    if (listeners.length === 0) return;
    this.#jobs.push({ listeners, event, next: 0 });
    this.#pending += listeners.length;
    // Asked from inside a delivery: the slice under way (or the next one) takes it in turn.
    if (this.#delivering) return;
    if (this.#pending > this.#maxPending) this.flush();
    else if (this.#scheduled === undefined) this.#deliverSlice();
  }

  /** Delivers everything still waiting, now (a shutdown: the streams get their last frames first). */
  flush(): void {
    if (this.#delivering) return; // inside a delivery: the slice under way goes on
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    while (this.#jobs.length > 0) this.#deliver(Number.POSITIVE_INFINITY);
  }

  /** Deliveries asked for and not made yet. */
  pending(): number {
    return this.#pending;
  }

  readonly #onImmediate = (): void => {
    this.#scheduled = undefined;
    this.#deliverSlice();
  };

  #deliverSlice(): void {
    // A quarter of what waits, at least a slice: a queue drains in a handful of turns however long it
    // is. Fixed slices of 128 let every send run between them, each then projected alone, and under
    // load the fan-out fell behind for good (docs/profiles/write-path.md, seventh pass).
    this.#deliver(Math.max(this.#sliceSize, Math.ceil(this.#pending / 4)));
    if (this.#jobs.length > 0 && this.#scheduled === undefined) this.#scheduled = setImmediate(this.#onImmediate);
  }

  #deliver(budget: number): void {
    // A listener may ask for a delivery itself (a stream closing mid-write leaves, and its presence
    // change is emitted): that one waits in line behind this slice, it is not delivered inside it.
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      let left = budget;
      while (left > 0 && this.#jobs.length > 0) {
        const job = this.#jobs[0]!;
        const end = Math.min(job.listeners.length, job.next + left);
        left -= end - job.next;
        this.#pending -= end - job.next;
        while (job.next < end) this.#deliverOne(job.listeners[job.next++], job.event);
        if (job.next >= job.listeners.length) this.#jobs.shift();
      }
    } finally {
      this.#delivering = false;
    }
  }
}

// What a reactor is: something that follows the log and does things outside it (wakes a waiting
// request, tells an open stream, sends a reminder, later a push or a webhook). Read models record;
// reactors act. Two kinds:
// - live: called after each committed projection batch, in this process, in the list's order; what
//   they do only matters to this process's open requests and streams, so nothing is redone after a
//   restart and they keep no checkpoint.
// - durable: run from their own checkpoint by one process at a time on a data dir
//   (durableReactorRunner.ts); each event's effect happens at least once, even across a crash.
import type { GiveawayEventType, UserEventType } from "../domain/events.ts";
import type { ProjectedEvent } from "../projections/projection.ts";

export type ProjectedEventType = GiveawayEventType | UserEventType;

/** The event types it reacts to, or a test over the projected event. */
export type ReactorInterest = readonly ProjectedEventType[] | ((event: ProjectedEvent) => boolean);

export interface LiveContext {
  /** False while the projection runner catches up on history (nobody is connected yet). */
  caughtUp: boolean;
}

export interface LiveReactor {
  readonly name: string;
  readonly kind: "live";
  readonly canHandle: ReactorInterest;
  /** Synchronous: it runs right after the read models commit, before anything else this turn. */
  handle(batch: readonly ProjectedEvent[], context: LiveContext): void;
  /** Does now whatever it still holds back (at close, after the last batch, before the read models close). */
  flush?(): void;
}

/** A stored wake-up: `wake` is called once `dueAt` has passed, even after a restart. */
export interface WakeUp {
  reactor: string;
  key: string;
  dueAt: Date;
  payload: unknown;
  /** Failed calls so far (0 on the first call). */
  attempts: number;
}

export interface DurableContext {
  /**
   * True when this may not be the first delivery (after a crash or a failed attempt): the handler
   * must then make sure an effect it already had is not had twice, or that having it twice is harmless.
   */
  mayRepeat: boolean;
  now(): Date;
  /** Stores a wake-up (replacing the reactor's wake-up of the same key); committed with the checkpoint. */
  schedule(key: string, dueAt: Date, payload: unknown): void;
  cancel(key: string): void;
}

export interface DurableReactor {
  readonly name: string;
  readonly kind: "durable";
  readonly canHandle: ReactorInterest;
  /**
   * Where it begins when it has no checkpoint yet: "beginning" replays the whole log once (so
   * what older events call for is scheduled), "end" only reacts to what is appended from then on.
   */
  readonly firstStart: "beginning" | "end";
  /**
   * True when nothing could come of the events at hand (nobody to tell): they then only move the
   * checkpoint, in memory, saved about once a second, with no handler call and no write per batch.
   * Asked after the events were committed, so it must see at least what was stored before them.
   */
  quiet?(): boolean | Promise<boolean>;
  /** Resolves once the batch's effects are done; throws to have the batch delivered again. */
  handle(batch: readonly ProjectedEvent[], context: DurableContext): Promise<void>;
  /** A stored wake-up fell due; throws to be called again later. The wake-up is deleted once it resolves. */
  wake?(wakeUp: WakeUp, context: DurableContext): Promise<void>;
  /** Given by the runner that runs it (none in tests that call handle and wake directly). */
  attach?(wakeUps: DurableWakeUps): void;
}

export interface DurableWakeUps {
  /**
   * Makes the stored wake-up of `key` due now, if this process runs the reactor and it is not being
   * called this moment (then nothing changes): something it waited for, outside any handler, came.
   */
  wakeSoon(key: string): void;
}

export type Reactor = LiveReactor | DurableReactor;

export function reactsTo(reactor: { canHandle: ReactorInterest }, event: ProjectedEvent): boolean {
  const { canHandle } = reactor;
  return typeof canHandle === "function" ? canHandle(event) : canHandle.includes(event.event.type);
}

/** The batch's events the reactor reacts to (the same array when it takes them all). */
export function eventsFor(reactor: { canHandle: ReactorInterest }, batch: readonly ProjectedEvent[]): readonly ProjectedEvent[] {
  let kept: ProjectedEvent[] | undefined;
  batch.forEach((event, index) => {
    const wanted = reactsTo(reactor, event);
    if (kept) {
      if (wanted) kept.push(event);
    } else if (!wanted) kept = batch.slice(0, index);
  });
  return kept ?? batch;
}

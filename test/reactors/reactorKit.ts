// Given events, then effects: runs a reactor's handle and wake on given events with a fake clock,
// keeping its wake-ups as the durable runner would (schedule replaces, cancel removes, a wake-up
// that resolved is gone; with `wakeSoon`, the runner's bringing one forward), without a store, a server or a timer.
import type { GiveawayEvent, UserEvent } from "../../src/domain/events.ts";
import type { ProjectedEvent } from "../../src/projections/projection.ts";
import { eventsFor, type DurableContext, type DurableReactor, type WakeUp } from "../../src/reactors/reactor.ts";

export interface KitWakeUp {
  key: string;
  dueAt: string;
  payload: unknown;
}

export interface ReactorKit {
  clock: { now(): Date; advance(ms: number): void; set(iso: string): void };
  /** A giveaway event as the runner hands it over (next position, the stream's next revision). */
  giveawayEvent(giveawayId: string, event: GiveawayEvent): ProjectedEvent;
  userEvent(userId: string, event: UserEvent): ProjectedEvent;
  /** Hands the events the reactor reacts to over as one batch; returns what it scheduled and cancelled. */
  given(events: ProjectedEvent[], options?: { mayRepeat?: boolean }): Promise<{ scheduled: KitWakeUp[]; cancelled: string[]; handed: number }>;
  /** The stored wake-ups now, earliest first. */
  wakeUps(): KitWakeUp[];
  /** Calls wake for every wake-up due by the clock (deleting each that resolved); returns their keys. */
  wakeDue(): Promise<string[]>;
}

export function reactorKit(reactor: DurableReactor, startAt: string, options: { wakeSoon?: boolean } = {}): ReactorKit {
  let nowMs = Date.parse(startAt);
  let position = 0n;
  const revisions = new Map<string, bigint>();
  const stored = new Map<string, { dueAt: number; payload: string; attempts: number }>();
  const recorded = (streamId: string, type: string, data: unknown) => {
    const revision = (revisions.get(streamId) ?? -1n) + 1n;
    revisions.set(streamId, revision);
    position += 1n;
    return { id: crypto.randomUUID(), type, data, metadata: {}, streamId, revision, position, created: new Date(nowMs) };
  };
  const context = (mayRepeat: boolean, log: { scheduled: KitWakeUp[]; cancelled: string[] }): DurableContext => ({
    mayRepeat,
    now: () => new Date(nowMs),
    schedule(key, dueAt, payload) {
      // Through JSON, as the runner stores it: a payload that does not survive that fails here too.
      stored.set(key, { dueAt: dueAt.getTime(), payload: JSON.stringify(payload ?? null), attempts: 0 });
      log.scheduled.push({ key, dueAt: dueAt.toISOString(), payload: JSON.parse(JSON.stringify(payload ?? null)) });
    },
    cancel(key) {
      stored.delete(key);
      log.cancelled.push(key);
    },
  });
  // With `wakeSoon`, as the runner does: a wake-up brought forward from outside a call becomes due now,
  // not while it is being called. Without, the reactor runs as it must where nobody gives it that.
  let calling: string | undefined;
  if (options.wakeSoon) reactor.attach?.({
    wakeSoon(key) {
      const wake = stored.get(key);
      if (wake && key !== calling && wake.dueAt > nowMs) wake.dueAt = nowMs;
    },
  });
  const wakeUps = () =>
    [...stored.entries()].sort(([, a], [, b]) => a.dueAt - b.dueAt).map(([key, wake]) => ({ key, dueAt: new Date(wake.dueAt).toISOString(), payload: JSON.parse(wake.payload) }));
  return {
    clock: {
      now: () => new Date(nowMs),
      advance: (ms) => void (nowMs += ms),
      set: (iso) => void (nowMs = Date.parse(iso)),
    },
    giveawayEvent: (giveawayId, event) => ({ stream: "giveaway", giveawayId, recorded: recorded(`giveaway-${giveawayId}`, event.type, event.data), event }),
    userEvent: (userId, event) => ({ stream: "user", recorded: recorded(`user-${userId}`, event.type, event.data), event }),
    async given(events, options = {}) {
      const log = { scheduled: [] as KitWakeUp[], cancelled: [] as string[] };
      const batch = eventsFor(reactor, events);
      if (batch.length > 0) await reactor.handle(batch, context(options.mayRepeat ?? false, log));
      return { ...log, handed: batch.length };
    },
    wakeUps,
    async wakeDue() {
      const woken: string[] = [];
      for (const [key, wake] of [...stored.entries()].sort(([, a], [, b]) => a.dueAt - b.dueAt)) {
        if (wake.dueAt > nowMs) continue;
        const wakeUp: WakeUp = { reactor: reactor.name, key, dueAt: new Date(wake.dueAt), payload: JSON.parse(wake.payload), attempts: wake.attempts };
        calling = key;
        try {
          await reactor.wake!(wakeUp, context(wake.attempts > 0, { scheduled: [], cancelled: [] }));
        } catch (error) {
          wake.attempts += 1;
          throw error;
        } finally {
          calling = undefined;
        }
        if (stored.get(key) === wake) stored.delete(key);
        woken.push(key);
      }
      return woken;
    },
  };
}

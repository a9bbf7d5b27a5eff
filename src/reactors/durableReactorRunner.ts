// Runs each durable reactor from its own checkpoint in DATA_DIR/reactors.db (reactorState.ts), in
// one process at a time: the process holding the reactor's lease. A batch's checkpoint moves only
// after its handler has resolved, so an event committed just before a crash is handed over again
// after the restart, with mayRepeat set (at least once). A handler that throws is tried again with
// a growing wait; after `maxAttempts` the reactor stops on the event, recorded, until the operator's
// `npm run reactors -- retry|skip <name>`, which a running process notices within seconds.
// Stored wake-ups are called by the process holding their reactor's lease once they fall due.
import { stoppedEventAt } from "../projections/stoppedEvents.ts";
import type Database from "better-sqlite3";
import { giveawayStreamPrefix, userStreamPrefix } from "../domain/streams.ts";
import type { EventStore, RecordedEvent, Subscription, SubscriptionStart } from "../eventstore/port.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import { metrics } from "../observability/metrics.ts";
import type { ProjectedEvent } from "../projections/projection.ts";
import { toProjectedEvent } from "../projections/projectionRunner.ts";
import { reactsTo, type DurableContext, type DurableReactor, type WakeUp } from "./reactor.ts";
import { describeReactorFailure, openReactorState, readReactorStates, type ReactorFailure } from "./reactorState.ts";

export interface DurableReactorRunnerOptions {
  store: EventStore;
  /** DATA_DIR/reactors.db (reactorStateFile). */
  file: string;
  reactors: readonly DurableReactor[];
  /** This process, as its leases name it. */
  holder: string;
  /** The clock wake-ups are due by (and handlers' context.now); leases use the real one. */
  now?: () => Date;
  /** How long a lease outlives its holder's last renewal; renewed every third of it. */
  leaseTtlMs?: number;
  /** Events per handler call while catching up. */
  batchSize?: number;
  /** Attempts at one event before the reactor stops on it. */
  maxAttempts?: number;
  /** The wait before attempt `attempt + 1` (default 1 s doubling, at most 5 minutes). */
  retryDelayMs?: (attempt: number) => number;
  /** How often a stopped reactor's row is checked for the operator's retry or skip. */
  statusPollMs?: number;
  /** The longest a wake-up timer sleeps before looking again (a clock that jumps is noticed by then). */
  wakeCheckMs?: number;
  /** How long close() waits for a handler in progress. */
  closeTimeoutMs?: number;
}

export interface DurableReactorStatus {
  name: string;
  /** This process holds its lease and runs it. */
  holding: boolean;
  position: bigint | undefined;
  failure: ReactorFailure | undefined;
}

export interface DurableReactorRunner {
  status(): DurableReactorStatus[];
  /** Stops following, waits (a while) for handlers in progress, releases the leases. */
  close(): Promise<void>;
}

export const defaultRetryDelayMs = (attempt: number) => Math.min(300_000, 1000 * 2 ** Math.max(0, attempt - 1));

/** setTimeout's longest delay. */
const maxTimerMs = 2_147_483_647;
/** An idle reactor's checkpoint (events it did not react to) is saved this often, not per batch. */
const idleSaveMs = 1000;

const log = componentLogger("reactors");

class LeaseLost extends Error {}
const leaseLost = (name: string) => new LeaseLost(`the lease of reactor ${name} was taken by another process`);

interface Item {
  recorded: RecordedEvent;
  projected: ProjectedEvent | undefined;
  parseError?: unknown;
}

interface Entry {
  reactor: DurableReactor;
  held: boolean;
  position: bigint | undefined;
  savedPosition: bigint | undefined;
  inFlight: bigint | undefined;
  attempts: number;
  failure: ReactorFailure | undefined;
  subscription: Subscription | undefined;
  following: Promise<void>;
  /** Handler batches and wake-ups of one reactor take turns. */
  turn: Promise<unknown>;
  /** The subscription's failures in a row (the store unreachable). */
  followFailures: number;
  /** Wakes a retry's wait early (closing, lease lost). */
  interrupt: (() => void) | undefined;
}

type WakeOp = { kind: "schedule"; key: string; dueAt: number; payload: string } | { kind: "cancel"; key: string };

const turnPassed = Symbol("turn passed");
const nextTurn = () => new Promise<typeof turnPassed>((resolve) => setImmediate(() => resolve(turnPassed)));

const failureAt = (recorded: RecordedEvent, error: unknown, attempts: number): ReactorFailure => ({ ...stoppedEventAt(recorded, error), attempts });

export function startDurableReactorRunner(options: DurableReactorRunnerOptions): DurableReactorRunner {
  const { store, holder } = options;
  const now = options.now ?? (() => new Date());
  const leaseTtlMs = options.leaseTtlMs ?? 30_000;
  const batchSize = options.batchSize ?? 100;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  const wakeCheckMs = options.wakeCheckMs ?? 60_000;
  const db: Database.Database = openReactorState(options.file);

  const ensureRow = db.prepare("INSERT OR IGNORE INTO reactor_checkpoints (name) VALUES (?)");
  const takeLease = db.prepare(
    `INSERT INTO reactor_leases (name, holder, expires) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
     WHERE reactor_leases.expires <= ? OR reactor_leases.holder = excluded.holder`,
  );
  const renewLease = db.prepare("UPDATE reactor_leases SET expires = ? WHERE name = ? AND holder = ?");
  const leaseHolder = db.prepare<[string], { holder: string }>("SELECT holder FROM reactor_leases WHERE name = ?");
  const dropLease = db.prepare("DELETE FROM reactor_leases WHERE name = ? AND holder = ?");
  const savePosition = db.prepare("UPDATE reactor_checkpoints SET position = ? WHERE name = ?");
  const saveInFlight = db.prepare("UPDATE reactor_checkpoints SET position = ?, in_flight = ? WHERE name = ?");
  const saveDone = db.prepare("UPDATE reactor_checkpoints SET position = ?, in_flight = NULL, attempts = 0 WHERE name = ?");
  const saveAttempts = db.prepare("UPDATE reactor_checkpoints SET attempts = ? WHERE name = ?");
  const saveFailure = db.prepare(
    `UPDATE reactor_checkpoints SET failed_position = ?, failed_stream = ?, failed_revision = ?, failed_type = ?,
       failed_event_id = ?, failed_error = ?, failed_at = ?, attempts = ? WHERE name = ?`,
  );
  const upsertWakeUp = db.prepare(
    `INSERT INTO reactor_wakeups (reactor, key, due_at, payload) VALUES (?, ?, ?, ?)
     ON CONFLICT (reactor, key) DO UPDATE SET due_at = excluded.due_at, payload = excluded.payload, attempts = 0, last_error = NULL`,
  );
  const deleteWakeUp = db.prepare("DELETE FROM reactor_wakeups WHERE reactor = ? AND key = ?");
  const deleteFiredWakeUp = db.prepare("DELETE FROM reactor_wakeups WHERE reactor = ? AND key = ? AND due_at = ? AND payload = ?");
  const wakeUpFailed = db.prepare("UPDATE reactor_wakeups SET attempts = ?, due_at = ?, last_error = ? WHERE reactor = ? AND key = ? AND due_at = ? AND payload = ?");
  const dueWakeUps = db.prepare<[string, number], { key: string; due_at: number; payload: string; attempts: number }>(
    "SELECT key, due_at, payload, attempts FROM reactor_wakeups WHERE reactor = ? AND due_at <= ? ORDER BY due_at LIMIT 100",
  );
  const nextWakeUp = db.prepare<[string], { next: number | null }>("SELECT min(due_at) AS next FROM reactor_wakeups WHERE reactor = ?");
  const bringForward = db.prepare("UPDATE reactor_wakeups SET due_at = ? WHERE reactor = ? AND key = ? AND due_at > ?");

  const assertHeld = (name: string) => {
    if (leaseHolder.get(name)?.holder !== holder) throw leaseLost(name);
  };
  const applyOps = (name: string, ops: WakeOp[]) => {
    for (const op of ops) {
      if (op.kind === "schedule") upsertWakeUp.run(name, op.key, op.dueAt, op.payload);
      else deleteWakeUp.run(name, op.key);
    }
  };
  const saveDoneIfHeld = db.prepare(
    `UPDATE reactor_checkpoints SET position = ?, in_flight = NULL, attempts = 0
     WHERE name = ? AND EXISTS (SELECT 1 FROM reactor_leases WHERE name = ? AND holder = ?)`,
  );
  const commitWithWakeUps = db.transaction((name: string, position: bigint, ops: WakeOp[]) => {
    assertHeld(name);
    applyOps(name, ops);
    saveDone.run(position.toString(), name);
  });
  const commitBatch = (name: string, position: bigint, ops: WakeOp[]) => {
    if (ops.length > 0) return commitWithWakeUps(name, position, ops);
    // Only the checkpoint: one statement, the lease checked in it.
    if (saveDoneIfHeld.run(position.toString(), name, name, holder).changes === 0) throw leaseLost(name);
  };
  const commitWake = db.transaction((name: string, fired: { key: string; due_at: number; payload: string }, ops: WakeOp[]) => {
    assertHeld(name);
    // Only the wake-up that was called: one scheduled again meanwhile under its key stays.
    deleteFiredWakeUp.run(name, fired.key, fired.due_at, fired.payload);
    applyOps(name, ops);
  });

  const entries: Entry[] = options.reactors.map((reactor) => {
    ensureRow.run(reactor.name);
    return { reactor, held: false, position: undefined, savedPosition: undefined, inFlight: undefined, attempts: 0, failure: undefined, subscription: undefined, following: Promise.resolve(), turn: Promise.resolve(), followFailures: 0, interrupt: undefined };
  });
  let closing = false;
  /** The wake-ups being called now (reactor, key): wakeSoon leaves them be, their own call decides what follows. */
  const calling = new Set<string>();
  const callingKey = (name: string, key: string) => `${name}\n${key}`;
  for (const entry of entries) {
    entry.reactor.attach?.({
      wakeSoon(key) {
        if (closing || !db.open || !entry.held || calling.has(callingKey(entry.reactor.name, key))) return;
        const at = now().getTime();
        try {
          if (bringForward.run(at, entry.reactor.name, key, at).changes > 0) void fireDue();
        } catch (error) {
          // busy: the wake-up stays due when it was (it is only later)
          log.warn({ reactor: entry.reactor.name, key, ...errorFields(error) }, "reactor wake-up not brought forward");
        }
      },
    });
  }

  const exclusive = <T>(entry: Entry, task: () => Promise<T>): Promise<T> => {
    const run = entry.turn.then(task);
    entry.turn = run.catch(() => {});
    return run;
  };
  const running = (entry: Entry, subscription?: Subscription) => !closing && entry.held && !entry.failure && (subscription === undefined || entry.subscription === subscription);

  const loadState = (entry: Entry) => {
    const state = readReactorStates(db).find((each) => each.name === entry.reactor.name);
    entry.position = state?.position;
    entry.savedPosition = state?.position;
    entry.inFlight = state?.inFlight;
    entry.attempts = state?.attempts ?? 0;
    entry.failure = state?.failure;
  };

  const saveIdlePosition = (entry: Entry) => {
    if (!entry.held || entry.position === undefined || entry.position === entry.savedPosition) return;
    savePosition.run(entry.position.toString(), entry.reactor.name);
    entry.savedPosition = entry.position;
  };

  const context = (ops: WakeOp[], mayRepeat: boolean): DurableContext => ({
    mayRepeat,
    now,
    schedule(key, dueAt, payload) {
      ops.push({ kind: "schedule", key, dueAt: dueAt.getTime(), payload: JSON.stringify(payload ?? null) });
    },
    cancel(key) {
      ops.push({ kind: "cancel", key });
    },
  });

  const pause = (entry: Entry, ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        entry.interrupt = undefined;
        resolve();
      }
      entry.interrupt = done;
    });

  const stopOn = (entry: Entry, recorded: RecordedEvent, error: unknown) => {
    const failure = failureAt(recorded, error, entry.attempts);
    const { streamId, revision, type, eventId, failedAt, attempts } = failure;
    saveFailure.run(failure.position.toString(), streamId, revision.toString(), type, eventId, failure.error, failedAt, attempts, entry.reactor.name);
    entry.failure = failure;
    metrics.reactorFailures.inc({ reactor: entry.reactor.name, kind: "stopped" });
    log.error({ reactor: entry.reactor.name, streamId, revision: revision.toString(), position: failure.position.toString(), eventType: type, eventId, error: failure.error }, describeReactorFailure(entry.reactor.name, failure));
  };

  /** Hands `items` (all reacted to) to the handler until it succeeds, the reactor stops, or this process lets it go. */
  const handOver = async (entry: Entry, items: Item[], lastPosition: bigint, forceRepeat: boolean): Promise<boolean> => {
    const { reactor } = entry;
    const first = items[0]!.recorded.position;
    for (;;) {
      if (!running(entry)) return false;
      const mayRepeat = forceRepeat || entry.attempts > 0 || (entry.inFlight !== undefined && first <= entry.inFlight);
      const outcome = await exclusive(entry, async () => {
        if (!running(entry)) return "stopped" as const;
        // Recorded before the handler starts, so a delivery after a crash knows it may repeat.
        if (entry.inFlight === undefined || entry.inFlight < lastPosition) {
          saveInFlight.run(entry.position?.toString() ?? null, lastPosition.toString(), reactor.name);
          entry.savedPosition = entry.position;
          entry.inFlight = lastPosition;
        }
        const ops: WakeOp[] = [];
        try {
          const broken = items.find((item) => item.parseError !== undefined);
          if (broken) throw broken.parseError;
          await reactor.handle(
            items.map((item) => item.projected!),
            context(ops, mayRepeat),
          );
        } catch (error) {
          return { error };
        }
        commitBatch(reactor.name, lastPosition, ops);
        entry.position = entry.savedPosition = lastPosition;
        entry.inFlight = undefined;
        entry.attempts = 0;
        if (ops.length > 0) armWakeTimer();
        return "done" as const;
      });
      if (outcome === "done") return true;
      if (outcome === "stopped") return false;
      if (items.length > 1) {
        // One at a time from here: the failure (and an operator's skip) then names one event.
        log.warn({ reactor: reactor.name, ...errorFields(outcome.error), events: items.length }, "reactor batch failed: handing its events over one by one");
        for (const item of items) if (!(await handOver(entry, [item], item.recorded.position, true))) return false;
        entry.position = lastPosition;
        return true;
      }
      entry.attempts += 1;
      saveAttempts.run(entry.attempts, reactor.name);
      metrics.reactorFailures.inc({ reactor: reactor.name, kind: "attempt" });
      if (entry.attempts >= maxAttempts) {
        stopOn(entry, items[0]!.recorded, outcome.error);
        return false;
      }
      const waitMs = retryDelayMs(entry.attempts);
      log.warn({ reactor: reactor.name, ...errorFields(outcome.error), attempt: entry.attempts, retryInMs: waitMs, eventId: items[0]!.recorded.id }, "reactor failed; trying again");
      await pause(entry, waitMs);
    }
  };

  /** The events of a page the reactor reacts to, parsed (a type list is checked before any parsing). */
  const wantedItems = (entry: Entry, records: RecordedEvent[]): Item[] => {
    const { canHandle } = entry.reactor;
    const items: Item[] = [];
    for (const recorded of records) {
      if (entry.position !== undefined && recorded.position <= entry.position) continue;
      if (typeof canHandle !== "function" && !(canHandle as readonly string[]).includes(recorded.type)) continue;
      let item: Item;
      try {
        item = { recorded, projected: toProjectedEvent(recorded) };
      } catch (parseError) {
        item = { recorded, projected: undefined, parseError };
      }
      if (item.projected ? reactsTo(entry.reactor, item.projected) : item.parseError !== undefined) items.push(item);
    }
    return items;
  };

  /** Takes a page of the log: what the reactor reacts to goes to its handler, the rest only moves its checkpoint. */
  const deliver = async (entry: Entry, records: RecordedEvent[]): Promise<boolean> => {
    const items = wantedItems(entry, records);
    const last = records[records.length - 1]!.position;
    const quiet = items.length > 0 && entry.reactor.quiet !== undefined && (await entry.reactor.quiet());
    if (items.length > 0 && !quiet && !(await handOver(entry, items, last, false))) return false;
    if (!running(entry)) return false;
    if (entry.position === undefined || last > entry.position) entry.position = last;
    return true;
  };

  const follow = (entry: Entry) => {
    const { reactor } = entry;
    const from: SubscriptionStart = entry.position !== undefined ? { after: entry.position } : reactor.firstStart === "beginning" ? "start" : "end";
    const subscription = store.subscribeToAll({ from, streamPrefixes: [giveawayStreamPrefix, userStreamPrefix] });
    entry.subscription = subscription;
    entry.following = (async () => {
      let pending: RecordedEvent[] = [];
      let live = false;
      const items = subscription[Symbol.asyncIterator]();
      // One item is asked for ahead, so a live batch can take what the log already holds.
      let ahead = items.next();
      try {
        for (;;) {
          void ahead.catch(() => {}); // awaited below, or left behind when this loop ends
          // Live: events that are already read join the batch; a turn with none more hands it over.
          const next = live && pending.length > 0 && pending.length < batchSize ? await Promise.race([ahead, nextTurn()]) : await ahead;
          if (next !== turnPassed) {
            if (next.done || !running(entry, subscription)) break;
            ahead = items.next();
            entry.followFailures = 0;
            const item = next.value;
            if (item.kind === "caughtUp") live = true;
            else pending.push(item.event);
            if (!live && pending.length < batchSize) continue;
            if (live && item.kind === "event" && pending.length < batchSize) continue;
          }
          if (pending.length === 0) continue;
          const page = pending;
          pending = [];
          if (!(await deliver(entry, page))) break;
        }
      } catch (error) {
        if (error instanceof LeaseLost) return letGo(entry, error.message);
        if (!running(entry, subscription)) return;
        // The store unreachable, or reactors.db busy: follow again from the checkpoint, waiting longer each time.
        entry.followFailures += 1;
        const waitMs = defaultRetryDelayMs(entry.followFailures);
        log.error({ reactor: reactor.name, ...errorFields(error, true), retryInMs: waitMs }, "reactor stopped following the log; following again shortly");
        entry.subscription = undefined;
        void subscription.stop().catch(() => {});
        setTimeout(() => {
          if (running(entry) && entry.subscription === undefined) follow(entry);
        }, waitMs).unref();
        return;
      }
      // Stopped on an event, let go or closing: a retry, a new lease or the operator follows anew.
      if (entry.subscription === subscription) entry.subscription = undefined;
      await subscription.stop().catch(() => {});
    })();
  };

  const stopFollowing = async (entry: Entry) => {
    const subscription = entry.subscription;
    entry.subscription = undefined;
    entry.interrupt?.();
    await subscription?.stop().catch(() => {});
    await entry.following;
  };

  const letGo = (entry: Entry, why: string) => {
    if (!entry.held) return;
    entry.held = false;
    log.warn({ reactor: entry.reactor.name, holder }, `reactor let go: ${why}`);
    void stopFollowing(entry);
    armWakeTimer();
  };

  const takeUp = (entry: Entry) => {
    loadState(entry);
    entry.held = true;
    log.info({ reactor: entry.reactor.name, holder, position: entry.position?.toString() }, "reactor taken up by this process");
    if (entry.failure) log.error({ reactor: entry.reactor.name }, `${describeReactorFailure(entry.reactor.name, entry.failure)} (stopped before this process took it up)`);
    else follow(entry);
    armWakeTimer();
  };

  // Leases: renewed while held, taken when free (a dead holder's lapses within leaseTtlMs).
  const tickLeases = () => {
    if (closing || !db.open) return;
    const at = Date.now();
    for (const entry of entries) {
      try {
        if (entry.held) {
          if (renewLease.run(at + leaseTtlMs, entry.reactor.name, holder).changes === 0) letGo(entry, "its lease was taken by another process");
          else saveIdlePosition(entry);
        } else if (takeLease.run(entry.reactor.name, holder, at + leaseTtlMs, at).changes > 0) takeUp(entry);
      } catch (error) {
        // busy for 5 s: the lease still has two thirds of its life; the next tick catches up
        log.warn({ reactor: entry.reactor.name, ...errorFields(error) }, "reactor lease not renewed this time");
      }
    }
  };
  const leaseTimer = setInterval(tickLeases, Math.max(100, Math.floor(leaseTtlMs / 3)));
  leaseTimer.unref();

  // A stopped reactor is taken up again once the operator's command has cleared its row.
  const statusTimer = setInterval(() => {
    if (closing || !db.open) return;
    for (const entry of entries) {
      if (!entry.held || !entry.failure || entry.subscription) continue;
      try {
        const state = readReactorStates(db).find((each) => each.name === entry.reactor.name);
        if (state?.failure) continue;
        void entry.following.then(() => {
          if (closing || !entry.held || entry.subscription) return;
          loadState(entry);
          log.info({ reactor: entry.reactor.name, position: entry.position?.toString() }, "stopped reactor resolved by the operator: following again");
          follow(entry);
        });
      } catch (error) {
        log.warn({ reactor: entry.reactor.name, ...errorFields(error) }, "reactor status not read this time");
      }
    }
    for (const entry of entries) {
      try {
        saveIdlePosition(entry);
      } catch {
        // busy: saved next time (a checkpoint behind only means events read again)
      }
    }
  }, options.statusPollMs ?? idleSaveMs);
  statusTimer.unref();

  // Wake-ups: one timer for the earliest due among the reactors this process holds.
  let wakeTimer: NodeJS.Timeout | undefined;
  let firing = false;
  let fireAgain = false;
  function armWakeTimer() {
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = undefined;
    if (closing || !db.open) return;
    let next: number | undefined;
    for (const entry of entries) {
      if (!entry.held || !entry.reactor.wake) continue;
      const due = nextWakeUp.get(entry.reactor.name)?.next;
      if (due !== null && due !== undefined && (next === undefined || due < next)) next = due;
    }
    if (next === undefined) return;
    const delay = Math.min(Math.max(0, next - now().getTime()), wakeCheckMs, maxTimerMs);
    wakeTimer = setTimeout(() => void fireDue(), delay);
    wakeTimer.unref();
  }

  async function fireDue() {
    if (firing) {
      fireAgain = true;
      return;
    }
    firing = true;
    try {
      do {
        fireAgain = false;
        for (const entry of entries) {
          if (closing || !entry.held || !entry.reactor.wake) continue;
          for (const row of dueWakeUps.all(entry.reactor.name, now().getTime())) {
            if (closing || !entry.held) break;
            await exclusive(entry, () => fireOne(entry, row));
          }
        }
      } while (fireAgain && !closing);
    } catch (error) {
      log.error(errorFields(error, true), "reactor wake-ups failed; looking again shortly");
    } finally {
      firing = false;
      armWakeTimer();
    }
  }

  async function fireOne(entry: Entry, row: { key: string; due_at: number; payload: string; attempts: number }) {
    const { reactor } = entry;
    if (!entry.held || closing) return;
    const wakeUp: WakeUp = { reactor: reactor.name, key: row.key, dueAt: new Date(row.due_at), payload: JSON.parse(row.payload), attempts: row.attempts };
    const ops: WakeOp[] = [];
    const callKey = callingKey(reactor.name, row.key);
    calling.add(callKey);
    try {
      await reactor.wake!(wakeUp, context(ops, row.attempts > 0));
    } catch (error) {
      const attempts = row.attempts + 1;
      const waitMs = retryDelayMs(attempts);
      const message = error instanceof Error ? error.message : String(error);
      wakeUpFailed.run(attempts, now().getTime() + waitMs, message.slice(0, 500), reactor.name, row.key, row.due_at, row.payload);
      metrics.reactorFailures.inc({ reactor: reactor.name, kind: "wake" });
      log.error({ reactor: reactor.name, key: row.key, attempt: attempts, retryInMs: waitMs, ...errorFields(error) }, "reactor wake-up failed; trying again");
      return;
    } finally {
      calling.delete(callKey);
    }
    try {
      commitWake(reactor.name, row, ops);
    } catch (error) {
      if (error instanceof LeaseLost) letGo(entry, error.message);
      else throw error;
    }
  }

  tickLeases();

  return {
    status: () => entries.map((entry) => ({ name: entry.reactor.name, holding: entry.held, position: entry.position, failure: entry.failure })),
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(leaseTimer);
      clearInterval(statusTimer);
      if (wakeTimer) clearTimeout(wakeTimer);
      const settle = Promise.all(
        entries.map(async (entry) => {
          await stopFollowing(entry);
          await entry.turn;
        }),
      );
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = await Promise.race([settle.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), options.closeTimeoutMs ?? 5000)))]);
      clearTimeout(timer);
      if (gaveUp) log.warn({ holder }, "a reactor's handler was still running at close: its events are handed over again after the next start");
      for (const entry of entries) {
        if (!entry.held) continue;
        try {
          saveIdlePosition(entry);
          dropLease.run(entry.reactor.name, holder);
        } catch (error) {
          log.warn({ reactor: entry.reactor.name, ...errorFields(error) }, "reactor lease not released (it lapses by itself)");
        }
        entry.held = false;
      }
      db.close();
    },
  };
}

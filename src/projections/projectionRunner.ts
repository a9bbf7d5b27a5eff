// Follows the global log; each batch and every projection's checkpoint commit in one transaction.
// A projection that cannot apply an event stops alone (recorded in projection_status with the event's
// stream and revision); the others go on. The operator resolves it (npm run projections -- retry|skip)
// and the runner, watching the status table, takes the projection up again without a restart.
import { stoppedEventAt } from "./stoppedEvents.ts";
import type Database from "better-sqlite3";
import { isGiveawayEventType, isUserEventType, parseGiveawayEvent, parseUserEvent } from "../domain/events.ts";
import { giveawayIdFromStream, giveawayStreamPrefix, userStreamPrefix } from "../domain/streams.ts";
import type { EventStore, RecordedEvent, Subscription, SubscriptionStart } from "../eventstore/port.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import { metrics } from "../observability/metrics.ts";
import type { ProjectedEvent, Projection, ProjectionApply } from "./projection.ts";
import {
  describeFailure,
  ensureProjectionRows,
  projectionStatusWriter,
  readProjectionStates,
  type ProjectionFailure,
  type ProjectionState,
} from "./projectionStatus.ts";

export interface ProjectionRunner {
  /** Resolves once history is applied; from then on the runner follows live. */
  readonly caughtUp: Promise<void>;
  readonly isCaughtUp: () => boolean;
  /** Resolves when stopped; rejects when the runner itself failed (the store or the read model file). */
  readonly done: Promise<void>;
  /** Every projection's checkpoint and, if it stopped, why. */
  status(): ProjectionState[];
  failureOf(name: string): ProjectionFailure | undefined;
  /** Set once the runner itself has stopped on an error: nothing is applied any more (restart the process). */
  fatalError(): Error | undefined;
  /** Finishes the batch in hand, then stops. */
  stop(): Promise<void>;
}

export interface ProjectionRunnerOptions {
  store: EventStore;
  db: Database.Database;
  /** Called after each committed batch with what at least one projection applied. */
  onApplied?: (events: ProjectedEvent[]) => void;
  /** Called once a projection has stopped on an event. */
  onFailure?: (name: string, failure: ProjectionFailure) => void;
  /** Events per transaction while catching up. */
  batchSize?: number;
  /** The read models it applies, in order (the declared list, src/app/declaredParts.ts). */
  projections: readonly Projection[];
  /** How often a stopped projection's row is checked for the operator's retry or skip. */
  statusPollMs?: number;
}

/** Parsed once per stored event: the followers at the head (read models, each durable reactor) share the store's page. */
const parsedEvents = new WeakMap<RecordedEvent, ProjectedEvent | undefined>();

export function toProjectedEvent(recorded: RecordedEvent): ProjectedEvent | undefined {
  if (parsedEvents.has(recorded)) return parsedEvents.get(recorded);
  const projected = parseRecorded(recorded);
  parsedEvents.set(recorded, projected);
  return projected;
}

function parseRecorded(recorded: RecordedEvent): ProjectedEvent | undefined {
  const giveawayId = giveawayIdFromStream(recorded.streamId);
  if (giveawayId !== undefined && isGiveawayEventType(recorded.type)) {
    return { stream: "giveaway", giveawayId, recorded, event: parseGiveawayEvent(recorded.type, recorded.data) };
  }
  if (recorded.streamId.startsWith(userStreamPrefix) && isUserEventType(recorded.type)) {
    return { stream: "user", recorded, event: parseUserEvent(recorded.type, recorded.data) };
  }
  return undefined; // a stream or type no read model follows
}

function streamKind(recorded: RecordedEvent): ProjectedEvent["stream"] | undefined {
  if (recorded.streamId.startsWith(giveawayStreamPrefix)) return "giveaway";
  if (recorded.streamId.startsWith(userStreamPrefix)) return "user";
  return undefined;
}

interface Entry {
  name: string;
  streams: readonly ProjectedEvent["stream"][];
  apply: ProjectionApply;
  position: bigint | undefined;
  failure: ProjectionFailure | undefined;
}

interface BatchResult {
  positions: Map<Entry, bigint | undefined>;
  failed: [Entry, ProjectionFailure][];
  applied: ProjectedEvent[];
}

const log = componentLogger("projections");

const failureAt = (recorded: RecordedEvent, error: unknown): ProjectionFailure => stoppedEventAt(recorded, error);

export function startProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const { store, db } = options;
  const batchSize = options.batchSize ?? 1000;
  const { projections } = options;
  ensureProjectionRows(db, projections.map((projection) => projection.name));
  const entries: Entry[] = projections.map((projection) => ({
    name: projection.name,
    streams: projection.streams ?? ["giveaway", "user"],
    apply: projection.prepare(db),
    position: undefined,
    failure: undefined,
  }));
  const loadStates = () => {
    const states = readProjectionStates(db);
    for (const entry of entries) {
      const state = states.find((each) => each.name === entry.name);
      entry.position = state?.position;
      entry.failure = state?.failure;
    }
  };
  loadStates();

  const writer = projectionStatusWriter(db);
  const saveCheckpoint = db.prepare("INSERT INTO checkpoint (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position");
  // Nested in the batch's transaction, this is a savepoint: a projection that throws undoes only its own part.
  const applyAlone = db.transaction((apply: (event: ProjectedEvent) => void, event: ProjectedEvent) => apply(event));

  /** `careful`: each projection's part in a savepoint and failures recorded; otherwise the first error aborts the batch. */
  const run = (batch: RecordedEvent[], careful: boolean): BatchResult => {
    const positions = new Map(entries.map((entry) => [entry, entry.position]));
    const failed: [Entry, ProjectionFailure][] = [];
    const applied: ProjectedEvent[] = [];
    for (const entry of entries) entry.apply.beginBatch?.(); // forgets a rolled-back attempt
    for (const recorded of batch) {
      const kind = streamKind(recorded);
      let projected: ProjectedEvent | undefined;
      let parseError: unknown;
      try {
        projected = toProjectedEvent(recorded);
      } catch (error) {
        if (!careful) throw error;
        parseError = error;
      }
      let appliedByAny = false;
      for (const entry of entries) {
        if (entry.failure || failed.some(([each]) => each === entry)) continue;
        const at = positions.get(entry);
        if (at !== undefined && recorded.position <= at) continue;
        if (kind !== undefined && entry.streams.includes(kind) && (projected || parseError !== undefined)) {
          try {
            if (parseError !== undefined) throw parseError;
            if (careful) applyAlone(entry.apply, projected!);
            else entry.apply(projected!);
            appliedByAny = true;
          } catch (error) {
            if (!careful) throw error;
            failed.push([entry, failureAt(recorded, error)]);
            continue;
          }
        }
        positions.set(entry, recorded.position);
      }
      if (appliedByAny) applied.push(projected!);
    }
    const moved = new Map<bigint, string[]>();
    for (const entry of entries) {
      if (!entry.failure) entry.apply.endBatch?.();
      const position = positions.get(entry);
      if (!entry.failure && position !== undefined && position !== entry.position) moved.set(position, [...(moved.get(position) ?? []), entry.name]);
    }
    for (const [position, names] of moved) writer.positions(names, position);
    for (const [entry, failure] of failed) writer.failure(entry.name, positions.get(entry), failure);
    saveCheckpoint.run(batch[batch.length - 1]!.position.toString());
    return { positions, failed, applied };
  };
  const applyFast = db.transaction((batch: RecordedEvent[]) => run(batch, false));
  const applyCareful = db.transaction((batch: RecordedEvent[]) => run(batch, true));

  let fatal: Error | undefined;
  let stopped = false;
  let caughtUp = false;
  let markCaughtUp: () => void = () => {};
  let failCaughtUp: (error: unknown) => void = () => {};
  const caughtUpPromise = new Promise<void>((resolve, reject) => {
    markCaughtUp = resolve;
    failCaughtUp = reject;
  });
  caughtUpPromise.catch(() => {}); // observed by whoever awaits it
  let settleDone: (error?: Error) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    settleDone = (error) => (error ? reject(error) : resolve());
  });
  done.catch(() => {}); // the caller observes failures through `done`

  let subscription: Subscription | undefined;
  let following: Promise<void> = Promise.resolve();
  let pending: RecordedEvent[] = [];
  let flushScheduled = false;

  const stopWith = (error: unknown) => {
    if (fatal || stopped) return;
    fatal = error instanceof Error ? error : new Error(String(error));
    log.error({ ...errorFields(error, true) }, "projection runner stopped: no read model is updated until the process restarts");
    for (const entry of entries) if (!entry.failure) metrics.projectionFailures.inc({ projection: entry.name });
    failCaughtUp(fatal);
    clearInterval(watcher);
    void subscription?.stop().catch(() => {});
    settleDone(fatal);
  };

  // Runs from setImmediate and the subscription loop: nothing it does may throw out of it.
  const flush = () => {
    flushScheduled = false;
    if (pending.length === 0 || fatal) return;
    const batch = pending;
    pending = [];
    let result: BatchResult;
    try {
      try {
        result = applyFast(batch);
      } catch {
        result = applyCareful(batch);
      }
    } catch (error) {
      stopWith(error);
      return;
    }
    for (const [entry, position] of result.positions) if (!entry.failure) entry.position = position;
    for (const [entry, failure] of result.failed) {
      entry.failure = failure;
      entry.position = result.positions.get(entry);
      metrics.projectionFailures.inc({ projection: entry.name });
      log.error({ projection: entry.name, streamId: failure.streamId, revision: failure.revision.toString(), position: failure.position.toString(), eventType: failure.type, eventId: failure.eventId, error: failure.error }, describeFailure(entry.name, failure));
      try {
        options.onFailure?.(entry.name, failure);
      } catch (error) {
        log.error(errorFields(error, true), "projection failure listener failed");
      }
    }
    if (result.applied.length === 0) return;
    try {
      options.onApplied?.(result.applied);
    } catch (error) {
      log.error(errorFields(error, true), "projection listener failed");
    }
  };

  const startFrom = (): SubscriptionStart => {
    const running = entries.filter((entry) => !entry.failure);
    const considered = running.length > 0 ? running : entries;
    if (running.length > 0 && running.some((entry) => entry.position === undefined)) return "start";
    const positions = considered.flatMap((entry) => (entry.position === undefined ? [] : [entry.position]));
    if (positions.length === 0) return "start";
    const pick = positions.reduce((a, b) => (running.length > 0 ? (b < a ? b : a) : b > a ? b : a));
    return { after: pick };
  };

  const follow = () => {
    const current = store.subscribeToAll({ from: startFrom(), streamPrefixes: [giveawayStreamPrefix, userStreamPrefix] });
    subscription = current;
    let live = false;
    following = (async () => {
      try {
        for await (const item of current) {
          if (item.kind === "caughtUp") {
            flush();
            live = true;
            if (!caughtUp) {
              caughtUp = true;
              markCaughtUp();
            }
            continue;
          }
          pending.push(item.event);
          if (!live) {
            if (pending.length >= batchSize) flush();
          } else if (!flushScheduled) {
            // Live: events that arrive in the same turn share a transaction, and none waits longer.
            flushScheduled = true;
            setImmediate(flush);
          }
        }
        flush();
      } catch (error) {
        stopWith(error);
      }
    })();
  };

  // A stopped projection is taken up again once the operator's command has cleared its row.
  let restarting = false;
  const watchForResolution = async () => {
    if (restarting || stopped || fatal || !entries.some((entry) => entry.failure)) return;
    const states = readProjectionStates(db);
    const resolved = entries.filter((entry) => entry.failure && !states.find((each) => each.name === entry.name)?.failure);
    if (resolved.length === 0) return;
    restarting = true;
    try {
      await subscription?.stop();
      await following;
      if (stopped || fatal) return;
      loadStates();
      log.info({ projections: resolved.map((entry) => entry.name) }, "stopped projections resolved by the operator: following again");
      follow();
    } finally {
      restarting = false;
    }
  };
  const watcher = setInterval(() => {
    watchForResolution().catch((error) => stopWith(error));
  }, options.statusPollMs ?? 1000);
  watcher.unref();

  for (const entry of entries) {
    if (entry.failure) log.error({ projection: entry.name }, `${describeFailure(entry.name, entry.failure)} (stopped before this start)`);
  }
  follow();

  return {
    caughtUp: caughtUpPromise,
    isCaughtUp: () => caughtUp,
    done,
    status: () => entries.map(({ name, position, failure }) => ({ name, position, failure })),
    failureOf: (name) => entries.find((entry) => entry.name === name)?.failure,
    fatalError: () => fatal,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(watcher);
      await subscription?.stop();
      await following;
      if (!fatal) settleDone();
    },
  };
}

// Follows the global log from the stored checkpoint; each batch and its checkpoint commit in one transaction.
import type Database from "better-sqlite3";
import { isGiveawayEventType, isUserEventType, parseGiveawayEvent, parseUserEvent } from "../domain/events.ts";
import { giveawayIdFromStream, giveawayStreamPrefix, userStreamPrefix } from "../domain/streams.ts";
import type { EventStore, RecordedEvent, Subscription } from "../eventstore/port.ts";
import type { ProjectedEvent } from "./projection.ts";
import { allProjections, readCheckpoint } from "./readModelDatabase.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";

export interface ProjectionRunner {
  /** Resolves once history is applied; from then on the runner follows live. */
  readonly caughtUp: Promise<void>;
  readonly isCaughtUp: () => boolean;
  /** Ends when the subscription stops or fails. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export interface ProjectionRunnerOptions {
  store: EventStore;
  db: Database.Database;
  /** Called after each committed batch, so whoever reads the read models sees them already updated. */
  onApplied?: (events: ProjectedEvent[]) => void;
  /** Events per transaction while catching up. */
  batchSize?: number;
}

export function toProjectedEvent(recorded: RecordedEvent): ProjectedEvent | undefined {
  const giveawayId = giveawayIdFromStream(recorded.streamId);
  if (giveawayId !== undefined && isGiveawayEventType(recorded.type)) {
    return { stream: "giveaway", giveawayId, recorded, event: parseGiveawayEvent(recorded.type, recorded.data) };
  }
  if (recorded.streamId.startsWith(userStreamPrefix) && isUserEventType(recorded.type)) {
    return { stream: "user", recorded, event: parseUserEvent(recorded.type, recorded.data) };
  }
  return undefined; // a stream or type no read model follows
}

export function startProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const { store, db } = options;
  const batchSize = options.batchSize ?? 1000;
  const appliers = allProjections.map((projection) => projection.prepare(db));
  const saveCheckpoint = db.prepare("INSERT INTO checkpoint (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position");
  const applyBatch = db.transaction((batch: RecordedEvent[]) => {
    const projected: ProjectedEvent[] = [];
    for (const recorded of batch) {
      const event = toProjectedEvent(recorded);
      if (!event) continue;
      for (const apply of appliers) apply(event);
      projected.push(event);
    }
    saveCheckpoint.run(batch[batch.length - 1]!.position.toString());
    return projected;
  });

  const checkpoint = readCheckpoint(db);
  const subscription: Subscription = store.subscribeToAll({
    from: checkpoint === undefined ? "start" : { after: checkpoint },
    streamPrefixes: [giveawayStreamPrefix, userStreamPrefix],
  });

  let caughtUp = false;
  let markCaughtUp: () => void = () => {};
  let failCaughtUp: (error: unknown) => void = () => {};
  const caughtUpPromise = new Promise<void>((resolve, reject) => {
    markCaughtUp = resolve;
    failCaughtUp = reject;
  });

  let pending: RecordedEvent[] = [];
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    if (pending.length === 0) return;
    const projected = applyBatch(pending);
    pending = [];
    if (projected.length === 0) return;
    try {
      options.onApplied?.(projected);
    } catch (error) {
      componentLogger("projections").error(errorFields(error, true), "projection listener failed");
    }
  };

  const done = (async () => {
    try {
      for await (const item of subscription) {
        if (item.kind === "caughtUp") {
          flush();
          caughtUp = true;
          markCaughtUp();
          continue;
        }
        pending.push(item.event);
        if (!caughtUp) {
          if (pending.length >= batchSize) flush();
        } else if (!flushScheduled) {
          // Live: events that arrive in the same turn share a transaction, and none waits longer.
          flushScheduled = true;
          setImmediate(flush);
        }
      }
      flush();
    } catch (error) {
      failCaughtUp(error);
      throw error;
    }
  })();
  done.catch(() => {}); // the caller observes failures through `done`

  return {
    caughtUp: caughtUpPromise,
    isCaughtUp: () => caughtUp,
    done,
    async stop() {
      await subscription.stop();
      await done.catch(() => {});
    },
  };
}

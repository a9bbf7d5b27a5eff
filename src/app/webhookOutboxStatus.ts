// The webhook outbox seen like a projection: its checkpoint and lag behind the log, the deliveries
// waiting in it, and the event it stopped on, if it did. Read from DATA_DIR/reactors.db (shared by
// the processes on the data dir), for the metrics and `npm run projections -- status`.
import { existsSync } from "node:fs";
import { giveawayStreamPrefix, userStreamPrefix } from "../domain/streams.ts";
import type { EventStore } from "../eventstore/port.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import { metrics } from "../observability/metrics.ts";
import { describeReactorFailure, openReactorState, readReactorStates, reactorStateFile, type ReactorFailure } from "../reactors/reactorState.ts";
import { webhookOutboxName } from "../reactors/webhookOutboxReactor.ts";

export interface WebhookOutboxStatus {
  /** Global position of the last event it took in; undefined: none yet. */
  position: bigint | undefined;
  /** Deliveries stored and not done: due, or waiting for a retry. */
  waiting: number;
  nextDueAt: Date | undefined;
  failure: ReactorFailure | undefined;
}

/** Undefined when the data dir has no reactors.db or the outbox never ran there. */
export function readWebhookOutboxStatus(dataDir: string): WebhookOutboxStatus | undefined {
  const file = reactorStateFile(dataDir);
  if (!existsSync(file)) return undefined;
  const db = openReactorState(file);
  try {
    const state = readReactorStates(db).find((each) => each.name === webhookOutboxName);
    if (!state) return undefined;
    return { position: state.position, waiting: state.wakeUps.count, nextDueAt: state.wakeUps.nextDueAt === undefined ? undefined : new Date(state.wakeUps.nextDueAt), failure: state.failure };
  } finally {
    db.close();
  }
}

/** The operator's line, in the projections' words. */
export function describeWebhookOutbox(status: WebhookOutboxStatus): string {
  if (status.failure) return `STOPPED ${describeReactorFailure(webhookOutboxName, status.failure)}`;
  const position = status.position === undefined ? "nothing taken in yet" : `checkpoint ${status.position}`;
  const next = status.nextDueAt ? ` (next due ${status.nextDueAt.toISOString()})` : "";
  return `running ${webhookOutboxName} (webhook outbox): ${position}, ${status.waiting} deliveries waiting${next}`;
}

/** Events counted at most, as for a projection's lag (readiness.ts). */
const lagBound = 10_000;
const log = componentLogger("webhooks");

/** Keeps the outbox's gauges (waiting, lag) current every `everyMs`; stop() at close. */
export function startWebhookOutboxGauges(deps: { store: EventStore; dataDir: string; everyMs?: number }): { stop(): void } {
  let busy = false;
  const update = async () => {
    if (busy) return;
    busy = true;
    try {
      const status = readWebhookOutboxStatus(deps.dataDir);
      if (!status) return;
      metrics.webhookDeliveriesWaiting.set(status.waiting);
      if (status.position === undefined) return;
      const after = await deps.store.readAll({ fromPosition: status.position, maxCount: lagBound + 1, streamPrefixes: [giveawayStreamPrefix, userStreamPrefix] });
      metrics.webhookOutboxLagEvents.set(after.filter((event) => event.position > status.position!).length);
    } catch (error) {
      log.warn(errorFields(error), "webhook outbox gauges not updated this time");
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void update(), deps.everyMs ?? 5000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

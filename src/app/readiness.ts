// Ready to serve: the store answers, and every projection is running within the lag bound.
// Lag is counted in events (a bounded read of the log after each projection's checkpoint).
import { giveawayStreamPrefix, userStreamPrefix } from "../domain/streams.ts";
import { hasErrorCode } from "../eventstore/port.ts";
import { metrics } from "../observability/metrics.ts";
import { describeFailure } from "../projections/projectionStatus.ts";
import type { Handoff } from "./handoff.ts";

/** What the health checks look at: the store (a probe and the log's head), the projections, and whether we are stopping. */
export type HealthSources = Pick<Handoff, "store" | "runner" | "lifecycle" | "config">;

export interface ProjectionReadiness {
  name: string;
  state: "running" | "stopped";
  position: string | null;
  /** Events not applied yet, counted up to just past the bound; null when the store could not say. */
  lagEvents: number | null;
  failure?: { streamId: string; revision: string; position: string; type: string; eventId: string; error: string; failedAt: string };
}

export interface Readiness {
  ready: boolean;
  /** Why not, one line each (empty when ready). */
  reasons: string[];
  store: { reachable: boolean; error?: string };
  maxLagEvents: number;
  projections: ProjectionReadiness[];
}

const storeProbeTimeoutMs = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function probeStore(handoff: HealthSources): Promise<string | undefined> {
  try {
    // Any answer, "no such stream" included, means the store is there.
    await withTimeout(handoff.store.readStream("handoff-readiness-probe", { maxCount: 1 }), storeProbeTimeoutMs, "the event store");
    return undefined;
  } catch (error) {
    if (hasErrorCode(error, "stream_not_found")) return undefined;
    return error instanceof Error ? error.message : String(error);
  }
}

/** Events after `position` in the followed streams, counted up to `limit`. */
async function lagAfter(handoff: HealthSources, position: bigint | undefined, limit: number): Promise<number> {
  const events = await withTimeout(
    handoff.store.readAll({ fromPosition: position ?? "start", maxCount: limit + 1, streamPrefixes: [giveawayStreamPrefix, userStreamPrefix] }),
    storeProbeTimeoutMs,
    "the event store",
  );
  return events.filter((event) => position === undefined || event.position > position).length;
}

export async function checkReadiness(handoff: HealthSources): Promise<Readiness> {
  const maxLagEvents = handoff.config.readyMaxLagEvents;
  const reasons: string[] = [];
  if (handoff.lifecycle.stopping) reasons.push("shutting down");
  const storeError = await probeStore(handoff);
  if (storeError) reasons.push(`event store unreachable: ${storeError}`);
  const fatal = handoff.runner.fatalError();
  if (fatal) reasons.push(`projection runner stopped: ${fatal.message}`);
  if (!handoff.runner.isCaughtUp()) reasons.push("projections are still catching up with the log");

  const lags = new Map<string, Promise<number | null>>();
  const lagOf = (position: bigint | undefined) => {
    const key = position?.toString() ?? "start";
    let lag = lags.get(key);
    if (!lag) {
      lag = storeError ? Promise.resolve(null) : lagAfter(handoff, position, maxLagEvents + 1).catch(() => null);
      lags.set(key, lag);
    }
    return lag;
  };

  const projections: ProjectionReadiness[] = [];
  for (const state of handoff.runner.status()) {
    const lagEvents = await lagOf(state.position);
    if (lagEvents !== null) metrics.projectionLagEvents.set({ projection: state.name }, lagEvents);
    const { failure } = state;
    if (failure) reasons.push(describeFailure(state.name, failure));
    else if (lagEvents !== null && lagEvents > maxLagEvents) reasons.push(`projection ${state.name} trails the log by more than ${maxLagEvents} events`);
    projections.push({
      name: state.name,
      state: failure || fatal ? "stopped" : "running",
      position: state.position?.toString() ?? null,
      lagEvents,
      ...(failure && {
        failure: {
          streamId: failure.streamId,
          revision: failure.revision.toString(),
          position: failure.position.toString(),
          type: failure.type,
          eventId: failure.eventId,
          error: failure.error,
          failedAt: failure.failedAt,
        },
      }),
    });
  }
  return { ready: reasons.length === 0, reasons, store: storeError ? { reachable: false, error: storeError } : { reachable: true }, maxLagEvents, projections };
}

/** Liveness: only what a restart would cure (the runner itself died), or shutting down. */
export function checkLiveness(handoff: Pick<HealthSources, "runner" | "lifecycle">): { live: boolean; status: string; reason?: string } {
  if (handoff.lifecycle.stopping) return { live: false, status: "stopping", reason: "shutting down" };
  const fatal = handoff.runner.fatalError();
  if (fatal) return { live: false, status: "failed", reason: `projection runner stopped: ${fatal.message}` };
  return { live: true, status: "ok" };
}

// Each process projects the log into read models of its own, a moment behind it (docs/scaling.md):
// a giveaway made through another process an instant ago may not show here yet. So before a read
// is refused on what the read models lack (404, 403, a resume point not reached), they are caught
// up to the log's head as of that request, bounded in time; past the bound the answer is 503
// read_model_lagging, never the stale refusal. Positive answers never come here: they pay nothing.
import { giveawayStreamPrefix, userStreamPrefix } from "../domain/streams.ts";
import type { EventStore } from "../eventstore/port.ts";
import type { ProjectionRunner } from "../projections/projectionRunner.ts";
import { untilReadModelShows } from "../projections/untilReadModelShows.ts";

export type CatchUpOutcome = "caught_up" | "lagging";

export interface ReadModelFreshness {
  /** Resolves once every running projection has applied the log as it stood when called, or "lagging" past the bound. */
  catchUp(): Promise<CatchUpOutcome>;
  /** What a read_model_lagging answer tells the client (Retry-After). */
  readonly retryAfterSeconds: number;
}

/** The streams the projection runner follows: the head that matters is theirs (presence and typing churn is not). */
const followedPrefixes = [giveawayStreamPrefix, userStreamPrefix];

export function createReadModelFreshness(options: { store: EventStore; runner: Pick<ProjectionRunner, "status" | "fatalError">; timeoutMs: number }): ReadModelFreshness {
  const { store, runner, timeoutMs } = options;

  const readHead = async (): Promise<bigint | undefined> => {
    const [newest] = await store.readAll({ direction: "backwards", maxCount: 1, streamPrefixes: followedPrefixes });
    return newest?.position;
  };

  // Callers coalesce onto one head read, but never onto one that began before they asked (it could
  // miss an event they must see): those arriving during a read share the next one.
  let inFlight: Promise<bigint | undefined> | undefined;
  let next: Promise<bigint | undefined> | undefined;
  const headAsOfNow = (): Promise<bigint | undefined> => {
    if (!inFlight) {
      inFlight = readHead().finally(() => (inFlight = undefined));
      return inFlight;
    }
    next ??= inFlight
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return headAsOfNow();
      });
    return next;
  };

  // A stopped projection will not move: it is not waited for (its own refusal, read_model_stopped, says so elsewhere).
  const reached = (head: bigint) => runner.status().every((projection) => projection.failure !== undefined || (projection.position ?? -1n) >= head);

  return {
    retryAfterSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)),
    async catchUp() {
      if (runner.fatalError()) return "lagging";
      const deadline = Date.now() + timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const head = await Promise.race([
        headAsOfNow(),
        new Promise<"timeout">((resolve) => {
          timer = setTimeout(() => resolve("timeout"), timeoutMs);
          timer.unref();
        }),
      ]).finally(() => clearTimeout(timer));
      if (head === "timeout") return "lagging";
      if (head === undefined || reached(head)) return "caught_up";
      return (await untilReadModelShows(() => reached(head), Math.max(0, deadline - Date.now()))) ? "caught_up" : "lagging";
    },
  };
}

// Requests waiting to see their own write (projections/readYourWrites.ts) resume as soon as the
// batch holding it is committed: first among the live reactors, before the hub's fan-out.
import type { ProjectedEvent } from "../projections/projection.ts";
import type { LiveReactor } from "./reactor.ts";

export function readYourWritesReactor(waits: { applied(events: readonly ProjectedEvent[]): void }): LiveReactor {
  return {
    name: "read-your-writes",
    kind: "live",
    canHandle: (event) => event.stream === "giveaway",
    handle: (batch) => waits.applied(batch),
  };
}

// The live hub's fan-out to open streams. Following live, a batch goes out one turn after the
// commit (live/deferredFanOut.ts says why: the answers waiting on it go first); while the runner
// catches up (nobody is connected yet: the server listens once caught up) it goes out in line, so
// a rebuild queues nothing.
import { deferredFanOut } from "../live/deferredFanOut.ts";
import type { ProjectedEvent } from "../projections/projection.ts";
import type { LiveReactor } from "./reactor.ts";

export interface HubFanOutReactor extends LiveReactor {
  /** Publishes whatever is still queued, now (before the read models close). */
  flush(): void;
}

export function hubFanOutReactor(publish: (applied: ProjectedEvent[]) => void): HubFanOutReactor {
  const fanOut = deferredFanOut(publish);
  return {
    name: "hub-fan-out",
    kind: "live",
    canHandle: () => true,
    handle(batch, { caughtUp }) {
      // The runner hands each batch over once; the hub keeps it only until published.
      const applied = batch as ProjectedEvent[];
      if (caughtUp) fanOut.push(applied);
      else publish(applied);
    },
    flush: () => fanOut.flush(),
  };
}

// Runs the live reactors after each committed projection batch, in the order they are declared
// (src/app/declaredParts.ts), in the same turn as the commit. One that throws is logged and the
// others still run.
import { componentLogger, errorFields } from "../observability/logger.ts";
import type { ProjectedEvent } from "../projections/projection.ts";
import { eventsFor, type LiveContext, type LiveReactor } from "./reactor.ts";

const log = componentLogger("reactors");

export function runLiveReactors(reactors: readonly LiveReactor[], batch: readonly ProjectedEvent[], context: LiveContext): void {
  for (const reactor of reactors) {
    const events = eventsFor(reactor, batch);
    if (events.length === 0) continue;
    try {
      reactor.handle(events, context);
    } catch (error) {
      log.error({ reactor: reactor.name, ...errorFields(error, true) }, "live reactor failed");
    }
  }
}

// Records every append in the shared metrics: events by stream category and outcome (written or
// deduplicated; a refused append stores nothing and is not counted), and every append's latency.
import { metrics } from "../observability/metrics.ts";
import type { EventStore } from "./port.ts";

/** "giveaway-<id>" is in category "giveaway"; a name without a dash is its own category. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf("-");
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}

export function instrumentEventStore(store: EventStore): EventStore {
  return {
    ...store,
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    subscribeToStream: (...args) => store.subscribeToStream(...args),
    subscribeToAll: (...args) => store.subscribeToAll(...args),
    close: () => store.close(),
    async appendToStream(streamId, events, options) {
      const endTimer = metrics.appendSeconds.startTimer();
      const category = streamCategory(streamId);
      try {
        const result = await store.appendToStream(streamId, events, options);
        metrics.eventsAppended.inc({ category, outcome: result.outcome }, events.length);
        return result;
      } finally {
        endTimer();
      }
    },
  };
}

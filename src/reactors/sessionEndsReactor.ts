// Streams opened with a session that has just ended are told (app/sessionEnds.ts). Live: only this
// process's open streams care, and after a restart those streams are gone, so nothing is redone.
import type { ProjectedEvent } from "../projections/projection.ts";
import type { LiveReactor } from "./reactor.ts";

export function sessionEndsReactor(sessionEnds: { applied(events: readonly ProjectedEvent[]): void }): LiveReactor {
  return {
    name: "session-ends",
    kind: "live",
    canHandle: ["SessionEnded", "AllSessionsEnded"],
    handle: (batch) => sessionEnds.applied(batch),
  };
}

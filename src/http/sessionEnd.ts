// Sign-out answers once this process's read model shows the session ended, so the very next
// request with the token is refused here; other processes learn it through their own subscription.
import type { ReadModelQueries } from "../app/handoff.ts";
import type { Identity } from "../app/tokens.ts";
import { untilReadModelShows } from "../projections/untilReadModelShows.ts";

export function untilSessionEnded(handoff: { queries: Pick<ReadModelQueries, "sessionHasEnded"> }, identity: Identity): Promise<boolean> {
  return untilReadModelShows(() => handoff.queries.sessionHasEnded(identity.userId, identity.sessionId, identity.sessionStartedAt));
}

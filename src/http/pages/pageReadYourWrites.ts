// Read your writes on any process, for pages: a form's 303 names the revision it wrote, and the page
// it lands on (maybe served by another process) waits, bounded, until its read models show it.
// The wait is the API's `?minRevision=` rule (giveawayCommands.ts), not a second one.
import { awaitMinRevision, type ReadModelState } from "../api/giveawayCommands.ts";

/** The page to go back to after a write at `revision`; `fragment` keeps its place (#latest). */
export function pageAfterWrite(path: string, revision: bigint | number, fragment = ""): string {
  return `${path}?minRevision=${revision}${fragment}`;
}

/** Waits until this process shows `?minRevision=` of the giveaway, if the request names one. */
export function awaitPageMinRevision(handoff: ReadModelState, 
giveawayId: string, query: unknown): Promise<void> {
  return awaitMinRevision(handoff, giveawayId, { minRevision: (query as Record<string, unknown> | undefined)?.minRevision });
}

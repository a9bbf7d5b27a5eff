// Which round a message (or any event) of a drawn giveaway belongs to, and whether an access
// granted by the participant rule (conversationAccess.ts) covers it. Pure.
import type { Round } from "./pickup.ts";

/** The round an event at `revision` belongs to (messages only come after a draw). */
export function roundOfRevision(rounds: readonly Round[], revision: number): Round | undefined {
  return rounds.find((round) => revision > round.fromRevision && (round.untilRevision === undefined || revision < round.untilRevision));
}

/** Whether an event at `revision` lies in one of the granted rounds. */
export function mayReadRevision(access: { readonly rounds: readonly Round[] }, revision: number): boolean {
  return roundOfRevision(access.rounds, revision) !== undefined;
}

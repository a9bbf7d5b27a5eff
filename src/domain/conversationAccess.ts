// The one participant rule: who may read and write a giveaway's conversation. Pure: the caller
// gathers the facts (from the stream's fold or from the read models); the API, the pages, the
// streams, the audit and the decider all ask this function.
import type { DomainErrorCode } from "./errors.ts";
import type { Round } from "./pickup.ts";

export interface ConversationFacts {
  /** "none": no such giveaway. */
  readonly status: "none" | "open" | "drawn";
  readonly giverId?: string | undefined;
  /** The current winner. */
  readonly winnerId?: string | null | undefined;
  /** Whether the asking user has entered the giveaway. */
  readonly hasEntered: boolean;
  /** Every winner's round, oldest first (see pickup.ts); absent or empty: one round, the current winner's. */
  readonly rounds?: readonly Round[] | undefined;
  /** Completed or cancelled: no message is taken from this instant on. */
  readonly readOnlyFrom?: string | null | undefined;
}

/** A former winner was replaced by a redraw: they keep reading their own conversation. */
export type ConversationRole = "giver" | "winner" | "former_winner";

export type ConversationAccess =
  | {
      readonly ok: true;
      readonly role: ConversationRole;
      /** The other person in the conversation. */
      readonly otherId: string;
      /** May send messages (a former winner, or anyone once the conversation is read-only, may only read). */
      readonly canWrite: boolean;
      /** The rounds whose messages this user may read: every one for the giver, their own for a winner. */
      readonly rounds: readonly Round[];
    }
  | { readonly ok: false; readonly code: Extract<DomainErrorCode, "giveaway_not_found" | "conversation_closed" | "not_participant">; readonly message: string };

const refusals = {
  giveaway_not_found: "no such giveaway",
  conversation_closed: "the conversation opens after the draw",
  not_participant: "only the giver and the winner can read this conversation",
} as const;

function refused(code: keyof typeof refusals): ConversationAccess {
  return { ok: false, code, message: refusals[code] };
}

/**
 * The conversation opens at the draw, between the giver and the winner. Before it, the giver and
 * the entrants are told "not yet"; anyone else is told it is not theirs. After a redraw each
 * winner reads only their own round; the giver reads all of them, separated by round.
 */
export function conversationAccess(facts: ConversationFacts, userId: string, now: Date): ConversationAccess {
  if (facts.status === "none" || !facts.giverId) return refused("giveaway_not_found");
  const isGiver = userId === facts.giverId;
  if (facts.status === "open" || !facts.winnerId) return refused(isGiver || facts.hasEntered ? "conversation_closed" : "not_participant");
  const rounds: readonly Round[] = facts.rounds?.length ? facts.rounds : [{ winnerId: facts.winnerId, fromRevision: -1, startedAt: "" }];
  const writable = !facts.readOnlyFrom || now.getTime() < Date.parse(facts.readOnlyFrom);
  if (isGiver) return { ok: true, role: "giver", otherId: facts.winnerId, canWrite: writable, rounds };
  if (userId === facts.winnerId) return { ok: true, role: "winner", otherId: facts.giverId, canWrite: writable, rounds: rounds.slice(-1) };
  const own = rounds.filter((round) => round.winnerId === userId);
  if (own.length > 0) return { ok: true, role: "former_winner", otherId: facts.giverId, canWrite: false, rounds: own };
  return refused("not_participant");
}

// The one participant rule: who may read and write a giveaway's conversation. Pure: the caller
// gathers the facts (from the stream's fold or from the read models); the API, the pages, the
// streams, the audit and the decider all ask this function.
import type { DomainErrorCode } from "./errors.ts";

export interface ConversationFacts {
  /** "none": no such giveaway. */
  readonly status: "none" | "open" | "drawn";
  readonly giverId?: string | undefined;
  readonly winnerId?: string | null | undefined;
  /** Whether the asking user has entered the giveaway. */
  readonly hasEntered: boolean;
}

export type ConversationRole = "giver" | "winner";

export type ConversationAccess =
  | {
      readonly ok: true;
      readonly role: ConversationRole;
      /** The other person in the conversation. */
      readonly otherId: string;
      /** May send messages and mark them read (a participant may one day only read). */
      readonly canWrite: boolean;
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
 * the entrants are told "not yet"; anyone else is told it is not theirs.
 */
export function conversationAccess(facts: ConversationFacts, userId: string): ConversationAccess {
  if (facts.status === "none" || !facts.giverId) return refused("giveaway_not_found");
  const isGiver = userId === facts.giverId;
  if (facts.status === "open" || !facts.winnerId) return refused(isGiver || facts.hasEntered ? "conversation_closed" : "not_participant");
  if (isGiver) return { ok: true, role: "giver", otherId: facts.winnerId, canWrite: true };
  if (userId === facts.winnerId) return { ok: true, role: "winner", otherId: facts.giverId, canWrite: true };
  return refused("not_participant");
}

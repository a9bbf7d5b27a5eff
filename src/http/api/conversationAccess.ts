// Who may read or stream a conversation, from the read model; the same answers the decider gives for sending.
import type { Handoff } from "../../app/handoff.ts";
import type { GiveawayView } from "../../projections/giveawaysProjection.ts";
import { ApiError } from "./apiErrors.ts";

/** The giveaway, when `userId` is its giver or winner and the draw has happened; else the refusal. */
export function conversationForReader(handoff: Handoff, giveawayId: string, userId: string): GiveawayView {
  const giveaway = handoff.queries.giveawayById(giveawayId);
  if (!giveaway) throw new ApiError("giveaway_not_found", "no such giveaway");
  const isGiver = giveaway.giverId === userId;
  if (giveaway.status === "drawn" && (isGiver || giveaway.winnerId === userId)) return giveaway;
  // Before the draw the giver and the entrants may yet talk: "not yet" rather than "not yours".
  if (giveaway.status === "open" && (isGiver || handoff.queries.hasEntered(giveawayId, userId))) {
    throw new ApiError("conversation_closed", "the conversation opens after the draw");
  }
  throw new ApiError("not_participant", "only the giver and the winner can read this conversation");
}

/** The other person in the conversation. */
export function otherParticipant(giveaway: GiveawayView, userId: string): string | null {
  return giveaway.giverId === userId ? giveaway.winnerId : giveaway.giverId;
}

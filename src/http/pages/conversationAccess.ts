// Who may open a conversation, from the read models: the giver and the winner, once drawn.
// (Commands check again against the stream; this decides what a page or stream shows.)
import type { Handoff } from "../../app/handoff.ts";
import type { GiveawayView } from "../../projections/giveawaysProjection.ts";

export type ConversationAccess =
  | { ok: true; giveaway: GiveawayView; other: { id: string; username: string } }
  | { ok: false; code: "giveaway_not_found" | "conversation_closed" | "not_participant" };

export function conversationAccess(handoff: Handoff, giveawayId: string, userId: string): ConversationAccess {
  const giveaway = handoff.queries.giveawayById(giveawayId);
  if (!giveaway) return { ok: false, code: "giveaway_not_found" };
  if (giveaway.status === "open" || !giveaway.winnerId) {
    const involved = giveaway.giverId === userId || handoff.queries.hasEntered(giveawayId, userId);
    return { ok: false, code: involved ? "conversation_closed" : "not_participant" };
  }
  if (userId === giveaway.giverId) return { ok: true, giveaway, other: { id: giveaway.winnerId, username: giveaway.winnerName ?? "?" } };
  if (userId === giveaway.winnerId) return { ok: true, giveaway, other: { id: giveaway.giverId, username: giveaway.giverName ?? "?" } };
  return { ok: false, code: "not_participant" };
}

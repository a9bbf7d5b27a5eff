// Who may audit a giveaway: its giver and its winner, once the winner is drawn (from the read model).
import type { Handoff } from "../../app/handoff.ts";
import type { GiveawayView } from "../../projections/giveawaysProjection.ts";

export type AuditAccess =
  | { ok: true; giveaway: GiveawayView }
  | { ok: false; code: "giveaway_not_found"; message: string }
  | { ok: false; code: "not_participant"; message: string };

export function auditAccess(handoff: Handoff, giveawayId: string, userId: string): AuditAccess {
  const giveaway = handoff.queries.giveawayById(giveawayId);
  if (!giveaway) return { ok: false, code: "giveaway_not_found", message: "no such giveaway" };
  const participant = giveaway.status === "drawn" && (userId === giveaway.giverId || userId === giveaway.winnerId);
  if (!participant) {
    return { ok: false, code: "not_participant", message: "only the giver and the winner can audit this giveaway, once the winner is drawn" };
  }
  return { ok: true, giveaway };
}

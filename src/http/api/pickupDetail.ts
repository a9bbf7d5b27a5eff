// What GET /api/giveaways/:id adds about the pickup; the plan and the handover only for the participants.
import type { Handoff } from "../../app/handoff.ts";
import { readerAccess } from "../../app/conversationAccessQuery.ts";
import type { GiveawayView } from "../../projections/giveawaysProjection.ts";

export interface PickupPlan {
  proposalId: string;
  from: string;
  to: string;
  place: string;
  note: string;
  agreedAt: string;
}

export interface PickupDetail {
  /** The agreed plan; null before agreement, and for anyone but the giver and the current winner. */
  pickup: PickupPlan | null;
  handover: { handedOverAt: string | null; receivedAt: string | null } | null;
  prizeDeclinedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  /** Completed or cancelled: messages are refused from then on. */
  readOnlyFrom: string | null;
}

export function planOf(handoff: Pick<Handoff, "queries">, giveawayId: string): PickupPlan | null {
  const row = handoff.queries.pickupRow(giveawayId);
  if (!row?.planProposalId || !row.agreedAt) return null;
  const proposal = handoff.queries.proposalById(giveawayId, row.planProposalId);
  if (!proposal) return null;
  const { proposalId, from, to, place, note } = proposal;
  return { proposalId, from, to, place, note, agreedAt: row.agreedAt };
}

export function pickupDetail(handoff: Pick<Handoff, "queries" | "now">, giveaway: GiveawayView, userId: string): PickupDetail {
  const row = handoff.queries.pickupRow(giveaway.id);
  const access = readerAccess(handoff.queries, giveaway.id, userId, handoff.now());
  const role = access.ok ? access.role : undefined;
  const participant = role === "giver" || role === "winner";
  return {
    pickup: participant ? planOf(handoff, giveaway.id) : null,
    handover: participant ? { handedOverAt: row?.handedOverAt ?? null, receivedAt: row?.receivedAt ?? null } : null,
    prizeDeclinedAt: participant ? (row?.prizeDeclinedAt ?? null) : null,
    completedAt: row?.completedAt ?? null,
    cancelledAt: row?.cancelledAt ?? null,
    cancelReason: participant ? (row?.cancelReason ?? null) : null,
    readOnlyFrom: row?.readOnlyFrom ?? null,
  };
}

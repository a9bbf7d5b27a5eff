// What the chat shows of the pickup to one viewer: the status, the plan, the cards and the buttons.
import type { GrantedConversation } from "../../app/conversationAccessQuery.ts";
import { visibleTo } from "../../app/conversationAccessQuery.ts";
import type { Reads } from "../../app/services.ts";
import { roundOfRevision } from "../../domain/pickupAccess.ts";
import type { MessageView } from "../../projections/conversationProjection.ts";
import type { ProposalView } from "../../projections/pickupProjection.ts";
import { planOf, type PickupPlan } from "../api/pickupDetail.ts";

export const statusLabels: Record<string, string> = {
  open: "Open for entries",
  drawn: "Drawn: agree on a pickup",
  pickup_agreed: "Pickup agreed",
  completed: "Handed over",
  cancelled: "Cancelled",
};

export interface PickupPanel {
  giveawayId: string;
  status: string;
  statusLabel: string;
  role: GrantedConversation["role"];
  canWrite: boolean;
  plan: PickupPlan | null;
  handedOverAt: string | null;
  receivedAt: string | null;
  prizeDeclinedAt: string | null;
  cancelReason: string | null;
  /** The viewer's own handover side, if they have one to confirm. */
  mySide: "handed_over" | "received" | null;
  myConfirmed: boolean;
  running: boolean;
  winnerId: string | null;
}

export function pickupPanel(handoff: Reads, access: GrantedConversation, viewerId: string): PickupPanel {
  const giveaway = handoff.queries.giveawayById(access.giveaway.id) ?? access.giveaway;
  const row = handoff.queries.pickupRow(giveaway.id);
  const current = access.role !== "former_winner";
  const mySide = !current ? null : viewerId === giveaway.giverId ? "handed_over" : "received";
  const myConfirmed = mySide === "handed_over" ? !!row?.handedOverAt : mySide === "received" ? !!row?.receivedAt : false;
  const running = giveaway.status === "drawn" || giveaway.status === "pickup_agreed";
  return {
    giveawayId: giveaway.id,
    status: access.role === "former_winner" ? "redrawn" : giveaway.status,
    statusLabel: access.role === "former_winner" ? "Another winner was drawn" : (statusLabels[giveaway.status] ?? giveaway.status),
    role: access.role,
    canWrite: access.canWrite,
    plan: current ? planOf(handoff, giveaway.id) : null,
    handedOverAt: current ? (row?.handedOverAt ?? null) : null,
    receivedAt: current ? (row?.receivedAt ?? null) : null,
    prizeDeclinedAt: current ? (row?.prizeDeclinedAt ?? null) : null,
    cancelReason: row?.cancelReason ?? null,
    mySide,
    myConfirmed,
    running: running && current,
    winnerId: giveaway.winnerId,
  };
}

export interface CardModel {
  proposal: ProposalView;
  mine: boolean;
  /** The viewer may answer it now. */
  canAnswer: boolean;
}

export function cardModel(proposal: ProposalView, viewerId: string, panel: PickupPanel): CardModel {
  const mine = proposal.proposedBy === viewerId;
  return { proposal, mine, canAnswer: !mine && proposal.status === "open" && panel.running };
}

export type ChatItem =
  | { kind: "round"; revision: number; withName: string }
  | { kind: "message"; revision: number; message: MessageView }
  | { kind: "proposal"; revision: number; card: CardModel };

/** Messages and proposals in stream order, only what the viewer may read; the giver's rounds under headers. */
/** `before`: a page of older history, so only the cards before that revision. */
export function chatItems(handoff: Reads, 
access: GrantedConversation, viewerId: string, messages: MessageView[], panel: PickupPanel, before = Number.MAX_SAFE_INTEGER): ChatItem[] {
  const firstShown = messages[0]?.revision ?? Number.MAX_SAFE_INTEGER;
  const proposals = visibleTo(access, handoff.queries.proposalsOf(access.giveaway.id)).filter((p) => (messages.length === 0 || p.revision >= firstShown) && p.revision < before);
  const items: ChatItem[] = [
    ...visibleTo(access, messages).map((message) => ({ kind: "message" as const, revision: message.revision, message })),
    ...proposals.map((proposal) => ({ kind: "proposal" as const, revision: proposal.revision, card: cardModel(proposal, viewerId, panel) })),
  ].sort((a, b) => a.revision - b.revision);
  if (access.role !== "giver" || access.rounds.length < 2) return items;
  const withHeaders: ChatItem[] = [];
  let round: number | undefined;
  for (const item of items) {
    const itemRound = roundOfRevision(access.rounds, item.revision);
    if (itemRound && itemRound.fromRevision !== round) {
      round = itemRound.fromRevision;
      withHeaders.push({ kind: "round", revision: item.revision, withName: handoff.queries.userById(itemRound.winnerId)?.username ?? "?" });
    }
    withHeaders.push(item);
  }
  return withHeaders;
}

// What the chat shows of the pickup to one viewer: the status, the plan, the cards and the buttons.
import type { GrantedConversation } from "../../app/conversationAccessQuery.ts";
import { visibleTo } from "../../app/conversationAccessQuery.ts";
import type { Clock, Configured, Reads } from "../../app/services.ts";
import type { Round } from "../../domain/pickup.ts";
import { roundOfRevision } from "../../domain/pickupAccess.ts";
import { redrawWindow } from "../../domain/redrawWindow.ts";
import type { MessageView } from "../../projections/conversationProjection.ts";
import type { ProposalView } from "../../projections/pickupProjection.ts";
import { planOf, type PickupPlan } from "../api/pickupDetail.ts";
import { confirmation, type Confirmation } from "./confirmations.ts";

export const statusLabels: Record<string, string> = {
  open: "Open for entries",
  drawn: "Drawn: agree on a pickup",
  pickup_agreed: "Pickup agreed",
  completed: "Handed over",
  cancelled: "Cancelled",
};

/** A former winner's state, in the same words on the chat, the inbox and the giveaway page. */
export const formerWinnerLabel = "Another winner chosen";

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
  /** The current round's proposal waiting for an answer, as the viewer sees it. */
  openProposal: CardModel | null;
  /** The label of the button that opens the pickup sheet; null when there is nothing to propose. */
  sheetLabel: string | null;
  /** The sheet's button is the panel's primary action (before a plan: the handover button is, after). */
  sheetPrimary: boolean;
  /** What the "More" menu offers: the winner's Decline, the giver's Redraw (or when it will be) and Cancel. */
  canDeclinePrize: boolean;
  redraw: RedrawOffer | null;
  canCancel: boolean;
  /** The questions the menu's actions ask first (each a dialog on the page). */
  confirms: Confirmation[];
  /** Why the viewer has no message box, if they have none: the chat then shows no composer, and the panel says why. */
  composerClosed: "former_winner" | "cancelled" | "closed" | null;
}

/** Redraw in the giver's menu: a button, the instant it becomes possible, or only after a decline. */
export type RedrawOffer = { kind: "open" } | { kind: "opens_at"; at: string } | { kind: "after_decline_only" };

export type PickupPanelServices = Reads & Clock & Configured;

/** The sheet's button says the next step: propose, answer (or see) the open proposal, or change the plan. */
function sheetLabelOf(status: string, openProposal: CardModel | null): string {
  if (openProposal) return openProposal.canAnswer ? "Answer the proposal" : "See the proposal";
  return status === "pickup_agreed" ? "Suggest another time" : "Propose a pickup";
}

/**
 * Whether the winner did anything in their round, asked of the read models (the domain's fold
 * notes it in winnerActiveAt): a proposal or an answer of theirs, or a message (the first 1000 suffice:
 * a winner silent under that many messages is rare, and the redraw itself is decided by the domain).
 */
function winnerActiveIn(handoff: Reads, giveawayId: string, round: Round): boolean {
  const { winnerId, fromRevision } = round;
  const proposals = handoff.queries.proposalsOf(giveawayId).filter((p) => p.revision > fromRevision);
  if (proposals.some((p) => p.proposedBy === winnerId || p.answeredBy === winnerId)) return true;
  return handoff.queries.messagesAfter(giveawayId, fromRevision, 1000).some((message) => message.senderId === winnerId);
}

function redrawOffer(handoff: PickupPanelServices, giveawayId: string, rounds: readonly Round[], prizeDeclined: boolean): RedrawOffer | null {
  const round = rounds[rounds.length - 1];
  if (!round) return null;
  const facts = { startedAt: round.startedAt, prizeDeclined, winnerActive: !prizeDeclined && winnerActiveIn(handoff, giveawayId, round) };
  const opening = redrawWindow(facts, handoff.config.pickup.noShowAfterMs, handoff.now());
  return opening.kind === "opens_at" ? { kind: "opens_at", at: opening.at.toISOString() } : opening.kind === "open" ? { kind: "open" } : opening;
}

export function pickupPanel(handoff: PickupPanelServices, access: GrantedConversation, viewerId: string): PickupPanel {
  const giveaway = handoff.queries.giveawayById(access.giveaway.id) ?? access.giveaway;
  const row = handoff.queries.pickupRow(giveaway.id);
  const current = access.role !== "former_winner";
  const mySide = !current ? null : viewerId === giveaway.giverId ? "handed_over" : "received";
  const myConfirmed = mySide === "handed_over" ? !!row?.handedOverAt : mySide === "received" ? !!row?.receivedAt : false;
  const running = (giveaway.status === "drawn" || giveaway.status === "pickup_agreed") && current;
  const handoverStarted = !!row?.handedOverAt || !!row?.receivedAt;
  const prizeDeclined = current && !!row?.prizeDeclinedAt;
  const open = running ? visibleTo(access, handoff.queries.proposalsOf(giveaway.id)).find((p) => p.status === "open") : undefined;
  const openProposal = open ? { proposal: open, mine: open.proposedBy === viewerId, canAnswer: open.proposedBy !== viewerId } : null;
  const canPropose = running && !handoverStarted && !prizeDeclined;
  const giverMenu = running && access.role === "giver" && !handoverStarted;
  const canDeclinePrize = running && access.role === "winner" && !prizeDeclined && !handoverStarted;
  const redraw = giverMenu ? redrawOffer(handoff, giveaway.id, access.rounds, prizeDeclined) : null;
  const context = { giveawayId: giveaway.id, winnerName: access.role === "giver" ? access.other.username : undefined, winnerId: giveaway.winnerId ?? undefined };
  const confirms = [
    ...(canDeclinePrize ? [confirmation("decline", context)] : []),
    ...(redraw?.kind === "open" ? [confirmation("redraw", context)] : []),
    ...(giverMenu ? [confirmation("cancel", context)] : []),
  ];
  return {
    giveawayId: giveaway.id,
    status: access.role === "former_winner" ? "redrawn" : giveaway.status,
    statusLabel: access.role === "former_winner" ? formerWinnerLabel : (statusLabels[giveaway.status] ?? giveaway.status),
    role: access.role,
    canWrite: access.canWrite,
    plan: current ? planOf(handoff, giveaway.id) : null,
    handedOverAt: current ? (row?.handedOverAt ?? null) : null,
    receivedAt: current ? (row?.receivedAt ?? null) : null,
    prizeDeclinedAt: current ? (row?.prizeDeclinedAt ?? null) : null,
    cancelReason: row?.cancelReason ?? null,
    mySide,
    myConfirmed,
    running,
    winnerId: giveaway.winnerId,
    openProposal,
    sheetLabel: canPropose ? sheetLabelOf(giveaway.status, openProposal) : null,
    sheetPrimary: giveaway.status !== "pickup_agreed",
    canDeclinePrize,
    redraw,
    canCancel: giverMenu,
    confirms,
    composerClosed: composerClosedOf(access, giveaway.status),
  };
}

/** Why a reader has no message box, if they have none (the chat page and its live frames alike). */
export function composerClosedOf(access: GrantedConversation, status: string): PickupPanel["composerClosed"] {
  if (access.role === "former_winner") return "former_winner";
  // Cancelled: nothing is left to arrange, so no box, though the last-words window would still take a message.
  if (status === "cancelled") return "cancelled";
  return access.canWrite ? null : "closed";
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
  | { kind: "round"; revision: number; withName: string; first: boolean }
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
  const header = (of: Round, revision: number): ChatItem => ({
    kind: "round",
    revision,
    withName: handoff.queries.userById(of.winnerId)?.username ?? "?",
    first: of === access.rounds[0],
  });
  for (const item of items) {
    const itemRound = roundOfRevision(access.rounds, item.revision);
    if (itemRound && itemRound.fromRevision !== round) {
      round = itemRound.fromRevision;
      withHeaders.push(header(itemRound, item.revision));
    }
    withHeaders.push(item);
  }
  // A new winner with nothing said yet: the divider shows at once, above the first message to them.
  const current = access.rounds[access.rounds.length - 1];
  if (current && current.fromRevision !== round && before === Number.MAX_SAFE_INTEGER) withHeaders.push(header(current, current.fromRevision));
  return withHeaders;
}

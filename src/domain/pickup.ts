// What a drawn giveaway knows about its pickup, folded from the pickup events (pure).
import { assertNever } from "./errors.ts";
import type { PickupEvent } from "./pickupEvents.ts";

/** A giveaway's status as every way in shows it. */
export type GiveawayStatus = "open" | "drawn" | "pickup_agreed" | "completed" | "cancelled";

export interface Proposal {
  readonly proposalId: string;
  readonly proposedBy: string;
  readonly from: string;
  readonly to: string;
  readonly place: string;
  readonly note: string;
  readonly proposedAt: string;
  readonly status: "open" | "accepted" | "declined" | "superseded";
}

/**
 * One winner's conversation with the giver: from the draw (or redraw) that made them the winner
 * until the redraw that replaced them. A message belongs to the round its revision falls in.
 */
export interface Round {
  readonly winnerId: string;
  /** Revision of the DrawConducted or WinnerRedrawn event that opened it. */
  readonly fromRevision: number;
  /** Revision of the WinnerRedrawn event that closed it; absent for the current round. */
  readonly untilRevision?: number;
  readonly startedAt: string;
}

export interface PickupState {
  readonly phase: "drawn" | "pickup_agreed" | "completed" | "cancelled";
  /** The current round's proposals, by id. */
  readonly proposals: ReadonlyMap<string, Proposal>;
  /** The accepted proposal: the plan. */
  readonly planId?: string;
  readonly remindedPlanIds: readonly string[];
  readonly handedOverAt?: string;
  readonly receivedAt?: string;
  /** When both sides had confirmed: ratings are open for a while from then (ratings.ts). */
  readonly completedAt?: string;
  /** When the current winner first did anything in this round (a message, a proposal, an answer). */
  readonly winnerActiveAt?: string;
  readonly prizeDeclinedAt?: string;
  /** Every round so far, oldest first; the last one is the current winner's. */
  readonly rounds: readonly Round[];
  /** Completed or cancelled: messages are refused from this instant on. */
  readonly readOnlyFrom?: string;
}

export function startPickup(winnerId: string, revision: number, startedAt: string): PickupState {
  return { phase: "drawn", proposals: new Map(), remindedPlanIds: [], rounds: [{ winnerId, fromRevision: revision, startedAt }] };
}

export function currentRound(pickup: PickupState): Round {
  return pickup.rounds[pickup.rounds.length - 1]!;
}

export function currentWinner(pickup: PickupState): string {
  return currentRound(pickup).winnerId;
}

export function planOf(pickup: PickupState): Proposal | undefined {
  return pickup.planId === undefined ? undefined : pickup.proposals.get(pickup.planId);
}

/** Records the winner's first sign of life in a round: it is what a no-show lacks. */
export function noteWinnerActivity(pickup: PickupState, userId: string, at: string): PickupState {
  if (pickup.winnerActiveAt !== undefined || userId !== currentWinner(pickup)) return pickup;
  return { ...pickup, winnerActiveAt: at };
}

/** Folds one pickup event; one that cannot apply leaves the state as it is. */
export function evolvePickup(pickup: PickupState, event: PickupEvent, revision: number): PickupState {
  switch (event.type) {
    case "PickupProposed": {
      const { proposalId, proposedBy, from, to, place, note, proposedAt } = event.data;
      if (pickup.proposals.has(proposalId)) return pickup;
      const proposals = new Map<string, Proposal>();
      for (const [id, proposal] of pickup.proposals) {
        proposals.set(id, proposal.status === "open" ? { ...proposal, status: "superseded" } : proposal);
      }
      proposals.set(proposalId, { proposalId, proposedBy, from, to, place, note, proposedAt, status: "open" });
      return noteWinnerActivity({ ...pickup, proposals }, proposedBy, proposedAt);
    }
    case "PickupProposalAccepted": {
      const proposal = pickup.proposals.get(event.data.proposalId);
      if (!proposal || proposal.status !== "open") return pickup;
      const proposals = new Map(pickup.proposals).set(proposal.proposalId, { ...proposal, status: "accepted" });
      const active = noteWinnerActivity(pickup, event.data.acceptedBy, event.data.acceptedAt);
      return { ...active, proposals, planId: proposal.proposalId, phase: "pickup_agreed" };
    }
    case "PickupProposalDeclined": {
      const proposal = pickup.proposals.get(event.data.proposalId);
      if (!proposal || proposal.status !== "open") return pickup;
      const proposals = new Map(pickup.proposals).set(proposal.proposalId, { ...proposal, status: "declined" });
      return { ...noteWinnerActivity(pickup, event.data.declinedBy, event.data.declinedAt), proposals };
    }
    case "PickupReminderSent":
      if (pickup.remindedPlanIds.includes(event.data.proposalId)) return pickup;
      return { ...pickup, remindedPlanIds: [...pickup.remindedPlanIds, event.data.proposalId] };
    case "HandoverConfirmed": {
      const { side, confirmedAt, userId } = event.data;
      const active = noteWinnerActivity(pickup, userId, confirmedAt);
      if (side === "handed_over") return active.handedOverAt ? active : { ...active, handedOverAt: confirmedAt };
      return active.receivedAt ? active : { ...active, receivedAt: confirmedAt };
    }
    case "GiveawayCompleted":
      return { ...pickup, phase: "completed", completedAt: event.data.completedAt, readOnlyFrom: event.data.readOnlyFrom };
    case "PrizeDeclined":
      if (event.data.winnerId !== currentWinner(pickup)) return pickup;
      return { ...pickup, prizeDeclinedAt: event.data.declinedAt };
    case "WinnerRedrawn": {
      const rounds = pickup.rounds.map((round, index) => (index === pickup.rounds.length - 1 ? { ...round, untilRevision: revision } : round));
      const next = startPickup(event.data.winnerId, revision, event.data.redrawnAt);
      return { ...next, rounds: [...rounds, ...next.rounds] };
    }
    case "GiveawayCancelled":
      return { ...pickup, phase: "cancelled", readOnlyFrom: event.data.readOnlyFrom };
    default:
      return assertNever(event);
  }
}

/** Everyone who has ever won this giveaway, the current winner last. */
export function winnersSoFar(pickup: PickupState): string[] {
  return pickup.rounds.map((round) => round.winnerId);
}

// The pickup's commands and decisions: propose, accept, decline, hand over, decline the prize,
// redraw, cancel, remind. Pure: the clock, ids, policies and the random pick come with the command.
import { decided, refused } from "./decision.ts";
import type { Decision } from "./decision.ts";
import { assertNever, refuse } from "./errors.ts";
import type { DomainError, DomainErrorCode } from "./errors.ts";
import type { GiveawayEvent } from "./events.ts";
import type { DrawnGiveaway, GiveawayState } from "./giveaway.ts";
import { currentRound, winnersSoFar } from "./pickup.ts";
import { redrawWindow } from "./redrawWindow.ts";

export const pickupPolicy = {
  placeMaxLength: 200,
  noteMaxLength: 500,
  reasonMaxLength: 500,
  /** The longest window a proposal may span. */
  windowMaxMs: 7 * 24 * 3600_000,
} as const;

export interface ProposePickup {
  readonly type: "ProposePickup";
  /** Chosen by the caller, so a retried proposal is recognised. */
  readonly proposalId: string;
  readonly by: string;
  readonly from: Date;
  readonly to: Date;
  readonly place: string;
  readonly note?: string;
  readonly now: Date;
}

export interface AnswerPickupProposal {
  readonly type: "AcceptPickupProposal" | "DeclinePickupProposal";
  readonly proposalId: string;
  readonly by: string;
  readonly now: Date;
}

export interface ConfirmHandover {
  readonly type: "ConfirmHandover";
  readonly by: string;
  readonly now: Date;
  /** How long a completed conversation still takes messages. */
  readonly lastWordsMs: number;
}

export interface DeclinePrize {
  readonly type: "DeclinePrize";
  readonly by: string;
  readonly now: Date;
}

export interface RedrawWinner {
  readonly type: "RedrawWinner";
  readonly by: string;
  readonly now: Date;
  /** A winner who has done nothing for this long after their draw is a no-show. */
  readonly noShowAfterMs: number;
  readonly pick: (entrantCount: number) => number;
  /** The winner the caller meant to replace: a retried redraw after it happened changes nothing. */
  readonly replacing?: string;
}

export interface CancelGiveaway {
  readonly type: "CancelGiveaway";
  readonly by: string;
  readonly reason?: string;
  readonly now: Date;
  readonly lastWordsMs: number;
}

export interface SendPickupReminder {
  readonly type: "SendPickupReminder";
  readonly proposalId: string;
  readonly now: Date;
}

export type PickupCommand = ProposePickup | AnswerPickupProposal | ConfirmHandover | DeclinePrize | RedrawWinner | CancelGiveaway | SendPickupReminder;

const pickupCommandTypes: ReadonlySet<string> = new Set<PickupCommand["type"]>([
  "ProposePickup",
  "AcceptPickupProposal",
  "DeclinePickupProposal",
  "ConfirmHandover",
  "DeclinePrize",
  "RedrawWinner",
  "CancelGiveaway",
  "SendPickupReminder",
]);

export function isPickupCommand(command: { type: string }): command is PickupCommand {
  return pickupCommandTypes.has(command.type);
}

export function decidePickup(command: PickupCommand, state: GiveawayState): Decision<GiveawayEvent> {
  switch (command.type) {
    case "ProposePickup":
      return propose(command, state);
    case "AcceptPickupProposal":
    case "DeclinePickupProposal":
      return answer(command, state);
    case "ConfirmHandover":
      return confirmHandover(command, state);
    case "DeclinePrize":
      return declinePrize(command, state);
    case "RedrawWinner":
      return redraw(command, state);
    case "CancelGiveaway":
      return cancel(command, state);
    case "SendPickupReminder":
      return remind(command, state);
    default:
      return assertNever(command);
  }
}

type Refusal = { ok: false; error: DomainError };
type Drawn = { ok: true; giveaway: DrawnGiveaway } | Refusal;

function no(code: DomainErrorCode, message: string): Refusal {
  return { ok: false, error: refuse(code, message) };
}

/** The giveaway, when it is drawn and `userId` is its giver or current winner. */
function participantIn(state: GiveawayState, userId: string): Drawn {
  switch (state.status) {
    case "none":
      return no("giveaway_not_found", "no such giveaway");
    case "open":
      if (state.cancelledAt !== undefined) return no("giveaway_cancelled", "this giveaway was cancelled");
      if (userId !== state.giverId && !state.entrants.includes(userId)) return no("not_participant", "only the giver and the winner take part in the pickup");
      return no("conversation_closed", "the pickup is planned after the draw");
    case "drawn":
      if (userId !== state.giverId && userId !== state.winnerId) return no("not_participant", "only the giver and the winner take part in the pickup");
      return { ok: true, giveaway: state };
    default:
      return assertNever(state);
  }
}

/** Completed and cancelled giveaways take no more pickup actions. */
function stillRunning(giveaway: DrawnGiveaway): Decision<never> | undefined {
  if (giveaway.pickup.phase === "completed") return refused("giveaway_completed", "this giveaway has been handed over");
  if (giveaway.pickup.phase === "cancelled") return refused("giveaway_cancelled", "this giveaway was cancelled");
  return undefined;
}

function handoverStarted(giveaway: DrawnGiveaway): boolean {
  return giveaway.pickup.handedOverAt !== undefined || giveaway.pickup.receivedAt !== undefined;
}

function propose(command: ProposePickup, state: GiveawayState): Decision<GiveawayEvent> {
  const access = participantIn(state, command.by);
  if (!access.ok) return access;
  const { giveaway } = access;
  const place = command.place.trim();
  const note = (command.note ?? "").trim();
  const from = command.from.toISOString();
  const to = command.to.toISOString();
  const existing = giveaway.pickup.proposals.get(command.proposalId);
  if (existing) {
    const same = existing.proposedBy === command.by && existing.from === from && existing.to === to && existing.place === place && existing.note === note;
    return same ? decided([]) : refused("proposal_id_conflict", "another proposal already has this id");
  }
  const stopped = stillRunning(giveaway);
  if (stopped) return stopped;
  if (giveaway.pickup.prizeDeclinedAt !== undefined) return refused("prize_declined", "the winner has declined the prize");
  if (handoverStarted(giveaway)) return refused("handover_started", "the handover has already been confirmed");
  const span = command.to.getTime() - command.from.getTime();
  if (!(span > 0)) return refused("invalid_pickup", "the window must end after it starts");
  if (span > pickupPolicy.windowMaxMs) return refused("invalid_pickup", "the window must be at most 7 days long");
  if (command.to.getTime() <= command.now.getTime()) return refused("invalid_pickup", "the window must end in the future");
  if (place.length < 1 || place.length > pickupPolicy.placeMaxLength) {
    return refused("invalid_pickup", `the place must be 1 to ${pickupPolicy.placeMaxLength} characters`);
  }
  if (note.length > pickupPolicy.noteMaxLength) return refused("invalid_pickup", `the note must be at most ${pickupPolicy.noteMaxLength} characters`);
  const { proposalId, by: proposedBy, now } = command;
  return decided([{ type: "PickupProposed", data: { proposalId, proposedBy, from, to, place, note, proposedAt: now.toISOString() } }]);
}

function answer(command: AnswerPickupProposal, state: GiveawayState): Decision<GiveawayEvent> {
  const access = participantIn(state, command.by);
  if (!access.ok) return access;
  const { giveaway } = access;
  const proposal = giveaway.pickup.proposals.get(command.proposalId);
  if (!proposal) return refused("proposal_not_found", "no such proposal");
  if (proposal.proposedBy === command.by) return refused("wrong_participant", "the other participant answers a proposal");
  const accepting = command.type === "AcceptPickupProposal";
  // The same answer again is a retry: it already stands.
  if (proposal.status === (accepting ? "accepted" : "declined")) return decided([]);
  const stopped = stillRunning(giveaway);
  if (stopped) return stopped;
  if (proposal.status !== "open") return refused("proposal_not_open", `this proposal was already ${proposal.status}`);
  const { proposalId, by, now } = command;
  const at = now.toISOString();
  if (!accepting) return decided([{ type: "PickupProposalDeclined", data: { proposalId, declinedBy: by, declinedAt: at } }]);
  if (giveaway.pickup.prizeDeclinedAt !== undefined) return refused("prize_declined", "the winner has declined the prize");
  if (Date.parse(proposal.to) <= now.getTime()) return refused("proposal_expired", "this proposal's window has passed: suggest another time");
  return decided([{ type: "PickupProposalAccepted", data: { proposalId, acceptedBy: by, acceptedAt: at } }]);
}

function confirmHandover(command: ConfirmHandover, state: GiveawayState): Decision<GiveawayEvent> {
  const access = participantIn(state, command.by);
  if (!access.ok) return access;
  const { pickup, giverId } = access.giveaway;
  const side = command.by === giverId ? "handed_over" : "received";
  const mine = side === "handed_over" ? pickup.handedOverAt : pickup.receivedAt;
  const theirs = side === "handed_over" ? pickup.receivedAt : pickup.handedOverAt;
  if (mine !== undefined) return decided([]);
  const stopped = stillRunning(access.giveaway);
  if (stopped) return stopped;
  if (pickup.phase !== "pickup_agreed") return refused("pickup_not_agreed", "agree on a pickup time and place first");
  const at = command.now.toISOString();
  const confirmed: GiveawayEvent = { type: "HandoverConfirmed", data: { userId: command.by, side, confirmedAt: at } };
  if (theirs === undefined) return decided([confirmed]);
  const readOnlyFrom = new Date(command.now.getTime() + command.lastWordsMs).toISOString();
  return decided([confirmed, { type: "GiveawayCompleted", data: { completedAt: at, readOnlyFrom } }]);
}

function declinePrize(command: DeclinePrize, state: GiveawayState): Decision<GiveawayEvent> {
  const access = participantIn(state, command.by);
  if (!access.ok) return access;
  const { giveaway } = access;
  if (command.by === giveaway.giverId) return refused("wrong_participant", "only the winner can decline the prize");
  if (giveaway.pickup.prizeDeclinedAt !== undefined) return decided([]);
  const stopped = stillRunning(giveaway);
  if (stopped) return stopped;
  if (handoverStarted(giveaway)) return refused("handover_started", "the handover has already been confirmed");
  return decided([{ type: "PrizeDeclined", data: { winnerId: command.by, declinedAt: command.now.toISOString() } }]);
}

function redraw(command: RedrawWinner, state: GiveawayState): Decision<GiveawayEvent> {
  if (state.status === "none") return refused("giveaway_not_found", "no such giveaway");
  if (command.by !== state.giverId) return refused("not_giver", "only the giver can redraw");
  if (state.status === "open") {
    if (state.cancelledAt !== undefined) return refused("giveaway_cancelled", "this giveaway was cancelled");
    return refused("conversation_closed", "draw a winner first");
  }
  const { pickup } = state;
  if (command.replacing !== undefined && command.replacing !== state.winnerId && winnersSoFar(pickup).includes(command.replacing)) {
    return decided([]); // that winner was already replaced: a retried redraw
  }
  const stopped = stillRunning(state);
  if (stopped) return stopped;
  if (handoverStarted(state)) return refused("handover_started", "the handover has already been confirmed");
  const facts = { startedAt: currentRound(pickup).startedAt, prizeDeclined: pickup.prizeDeclinedAt !== undefined, winnerActive: pickup.winnerActiveAt !== undefined };
  const opening = redrawWindow(facts, command.noShowAfterMs, command.now);
  if (opening.kind === "after_decline_only") return refused("redraw_not_allowed", "the winner has answered: only their declining the prize allows a redraw");
  if (opening.kind === "opens_at") return refused("redraw_not_allowed", `the winner has until ${opening.at.toISOString()} to answer`);
  const { reason } = opening;
  const previous = new Set(winnersSoFar(pickup));
  const remaining = state.entrants.filter((userId) => !previous.has(userId));
  if (remaining.length === 0) return refused("no_entrants_left", "every entrant has already been drawn");
  const index = command.pick(remaining.length);
  if (!Number.isInteger(index) || index < 0 || index >= remaining.length) {
    throw new RangeError(`pick returned ${index} for ${remaining.length} remaining entrants`);
  }
  const winnerId = remaining[index]!;
  return decided([{ type: "WinnerRedrawn", data: { winnerId, previousWinnerId: state.winnerId, reason, redrawnAt: command.now.toISOString() } }]);
}

function cancel(command: CancelGiveaway, state: GiveawayState): Decision<GiveawayEvent> {
  if (state.status === "none") return refused("giveaway_not_found", "no such giveaway");
  if (command.by !== state.giverId) return refused("not_giver", "only the giver can cancel");
  const reason = (command.reason ?? "").trim();
  if (state.status === "open" && state.cancelledAt !== undefined) return refused("giveaway_cancelled", "this giveaway was already cancelled");
  if (state.status === "drawn") {
    const stopped = stillRunning(state);
    if (stopped) return stopped;
  }
  if (reason.length > pickupPolicy.reasonMaxLength) return refused("invalid_pickup", `the reason must be at most ${pickupPolicy.reasonMaxLength} characters`);
  const at = command.now.toISOString();
  // Before the draw there is no conversation to close gently; after it, the winner gets last words.
  const readOnlyFrom = state.status === "open" ? at : new Date(command.now.getTime() + command.lastWordsMs).toISOString();
  return decided([{ type: "GiveawayCancelled", data: { cancelledBy: command.by, reason, cancelledAt: at, readOnlyFrom } }]);
}

/** Never refused: the scheduler asks, and the answer is "already done" or the one reminder. */
function remind(command: SendPickupReminder, state: GiveawayState): Decision<GiveawayEvent> {
  if (state.status !== "drawn") return decided([]);
  const { pickup } = state;
  if (pickup.phase !== "pickup_agreed" || pickup.planId !== command.proposalId || pickup.remindedPlanIds.includes(command.proposalId)) return decided([]);
  return decided([{ type: "PickupReminderSent", data: { proposalId: command.proposalId, remindedAt: command.now.toISOString() } }]);
}

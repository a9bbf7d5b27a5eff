// The platform's backend acting on a giveaway it pushed in: its decisions (details, entrants, the
// draw, a redraw, a cancel, a system message) are authoritative, so handoff's own waiting rules (the
// no-show wait before a redraw) do not apply. Handoff's rules are reused where the meaning is the
// same (the title and description, an entry, a cancel), by asking handoff's decider, which the
// caller passes in so this file does not import it back. Pure: time and ids come with the command.
import { decided, refused, type Decision } from "./decision.ts";
import { assertNever } from "./errors.ts";
import type { GiveawayEvent } from "./events.ts";
import { systemSenderId, type DrawnGiveaway, type GiveawayState } from "./giveaway.ts";
import type { CreateGiveaway, SubmitEntry } from "./giveawayCommands.ts";
import type { CancelGiveaway } from "./pickupDecide.ts";
import { contentMaxLength } from "./giveawayLimits.ts";
import { contentDigest } from "./messageIndex.ts";
import { winnersSoFar } from "./pickup.ts";
import { isBlockedBy } from "./blocks.ts";

/** Creates the giveaway, or brings its title, description and giver up to date. */
export interface PutPlatformGiveaway {
  readonly type: "PutPlatformGiveaway";
  readonly giveawayId: string;
  readonly platformId: string;
  readonly giverId: string;
  readonly title: string;
  /** Absent: "" when created, unchanged when updated. */
  readonly description?: string | undefined;
  readonly now: Date;
}

export interface AddPlatformEntrant {
  readonly type: "AddPlatformEntrant";
  readonly userId: string;
  readonly now: Date;
  /** The users who have blocked the entrant (the blocks read model): the giver among them refuses a new entry. */
  readonly blockedBy?: readonly string[] | undefined;
  /** The entrant is suspended by a moderator (the suspensions read model). */
  readonly suspended?: boolean | undefined;
}

export interface WithdrawPlatformEntrant {
  readonly type: "WithdrawPlatformEntrant";
  readonly userId: string;
  readonly now: Date;
}

/** The platform ran the draw (first) or a redraw (later) and names the winner. */
export interface ChoosePlatformWinner {
  readonly type: "PlatformDraw" | "PlatformRedraw";
  readonly winnerId: string;
  readonly now: Date;
  /** The winner is suspended by a moderator. */
  readonly suspended?: boolean | undefined;
}

export interface CancelPlatformGiveaway {
  readonly type: "CancelPlatformGiveaway";
  readonly reason?: string | undefined;
  readonly now: Date;
  readonly lastWordsMs: number;
}

export interface PostSystemMessage {
  readonly type: "PostSystemMessage";
  /** Chosen by the caller, so a retried post is recognised. */
  readonly messageId: string;
  readonly content: string;
  readonly now: Date;
}

export type PlatformCommand = PutPlatformGiveaway | AddPlatformEntrant | WithdrawPlatformEntrant | ChoosePlatformWinner | CancelPlatformGiveaway | PostSystemMessage;

const platformCommandTypes: ReadonlySet<string> = new Set<PlatformCommand["type"]>([
  "PutPlatformGiveaway",
  "AddPlatformEntrant",
  "WithdrawPlatformEntrant",
  "PlatformDraw",
  "PlatformRedraw",
  "CancelPlatformGiveaway",
  "PostSystemMessage",
]);

export function isPlatformCommand(command: { type: string }): command is PlatformCommand {
  return platformCommandTypes.has(command.type);
}

/** Handoff's own decider (giveawayDecide.ts), for the rules both share: passed in, and named by the commands sent to it, so this module does not import it back. */
export type HandoffDecide = (command: CreateGiveaway | SubmitEntry | CancelGiveaway, state: GiveawayState) => Decision<GiveawayEvent>;

export function decidePlatform(command: PlatformCommand, state: GiveawayState, handoffDecide: HandoffDecide): Decision<GiveawayEvent> {
  switch (command.type) {
    case "PutPlatformGiveaway":
      return putGiveaway(command, state, handoffDecide);
    case "AddPlatformEntrant":
      return addEntrant(command, state, handoffDecide);
    case "WithdrawPlatformEntrant":
      return withdrawEntrant(command, state);
    case "PlatformDraw":
      return draw(command, state);
    case "PlatformRedraw":
      return redraw(command, state);
    case "CancelPlatformGiveaway":
      return cancel(command, state, handoffDecide);
    case "PostSystemMessage":
      return postSystemMessage(command, state);
    default:
      return assertNever(command);
  }
}

function putGiveaway(command: PutPlatformGiveaway, state: GiveawayState, handoffDecide: HandoffDecide): Decision<GiveawayEvent> {
  const { giveawayId, giverId, now } = command;
  const description = command.description ?? (state.status === "none" ? "" : undefined);
  // Handoff's creation rule checks the title and description (and trims them) for both cases.
  const checked = handoffDecide({ type: "CreateGiveaway", giveawayId, giverId, title: command.title, description: description ?? "", now }, { status: "none" });
  if (!checked.ok) return checked;
  const created = checked.events[0]!;
  if (created.type !== "GiveawayCreated") throw new Error(`CreateGiveaway decided ${created.type}`);
  if (state.status === "none") return decided([{ type: "GiveawayCreated", data: { ...created.data, platformId: command.platformId } }]);

  // Only what differs is an event; an absent description leaves it as it is.
  const changes = {
    ...(created.data.title !== state.title && { title: created.data.title }),
    ...(description !== undefined && created.data.description !== (state.description ?? "") && { description: created.data.description }),
    ...(giverId !== state.giverId && { giverId }),
  };
  // Entrants entered this giver's giveaway (and the giver can never be one of them).
  if (changes.giverId !== undefined && (state.status === "drawn" || state.entrants.length > 0)) {
    return refused("giver_fixed", "the giver cannot change once someone has entered");
  }
  if (Object.keys(changes).length === 0) return decided([]);
  return decided([{ type: "GiveawayDetailsChanged", data: { ...changes, changedAt: now.toISOString() } }]);
}

function addEntrant(command: AddPlatformEntrant, state: GiveawayState, handoffDecide: HandoffDecide): Decision<GiveawayEvent> {
  if (state.status === "drawn") {
    // Adding someone already entered is a retry; anyone new comes too late.
    return state.entrants.includes(command.userId) ? decided([]) : refused("entries_closed", "entries closed when the winner was drawn");
  }
  if (command.suspended && state.status === "open" && !state.entrants.includes(command.userId)) return refused("user_suspended", "this user is suspended by a moderator");
  // An entry that stands stays; a new one the giver has blocked is the platform's to sort out.
  if (state.status === "open" && !state.entrants.includes(command.userId) && isBlockedBy(command.blockedBy, state.giverId)) {
    return refused("user_blocked", "the giver has blocked this user");
  }
  // Otherwise an entry like any other: handoff's rule (the giver cannot enter, nor anyone once cancelled).
  return handoffDecide({ type: "SubmitEntry", userId: command.userId, now: command.now }, state);
}

function withdrawEntrant(command: WithdrawPlatformEntrant, state: GiveawayState): Decision<GiveawayEvent> {
  if (state.status === "none") return refused("giveaway_not_found", "no such giveaway");
  if (state.status === "drawn") return refused("entries_closed", "entries closed when the winner was drawn");
  // Someone who is not (or no longer) entered: already as asked.
  if (!state.entrants.includes(command.userId)) return decided([]);
  return decided([{ type: "EntryWithdrawn", data: { userId: command.userId, withdrawnAt: command.now.toISOString() } }]);
}

function draw(command: ChoosePlatformWinner, state: GiveawayState): Decision<GiveawayEvent> {
  if (state.status === "none") return refused("giveaway_not_found", "no such giveaway");
  if (state.status === "drawn") return refused("already_drawn", "the winner has already been drawn");
  if (state.cancelledAt !== undefined) return refused("giveaway_cancelled", "this giveaway was cancelled");
  if (!state.entrants.includes(command.winnerId)) return refused("winner_not_entrant", "the winner must be one of the giveaway's entrants");
  if (command.suspended) return refused("user_suspended", "the winner is suspended by a moderator");
  return decided([{ type: "DrawConducted", data: { winnerId: command.winnerId, drawnAt: command.now.toISOString(), decidedBy: "platform" } }]);
}

function redraw(command: ChoosePlatformWinner, state: GiveawayState): Decision<GiveawayEvent> {
  if (state.status === "none") return refused("giveaway_not_found", "no such giveaway");
  if (state.status === "open") {
    if (state.cancelledAt !== undefined) return refused("giveaway_cancelled", "this giveaway was cancelled");
    return refused("conversation_closed", "draw a winner first");
  }
  // The same winner again: the redraw already stands (a retry).
  if (command.winnerId === state.winnerId) return decided([]);
  const stopped = stillRunning(state);
  if (stopped) return stopped;
  if (state.pickup.handedOverAt !== undefined || state.pickup.receivedAt !== undefined) return refused("handover_started", "the handover has already been confirmed");
  if (!state.entrants.includes(command.winnerId)) return refused("winner_not_entrant", "the winner must be one of the giveaway's entrants");
  // A replaced winner keeps reading their own round; winning again would make their rounds ambiguous.
  if (winnersSoFar(state.pickup).includes(command.winnerId)) return refused("winner_replaced", "this entrant already won once and was replaced");
  if (command.suspended) return refused("user_suspended", "the winner is suspended by a moderator");
  const data = { winnerId: command.winnerId, previousWinnerId: state.winnerId, reason: "platform" as const, redrawnAt: command.now.toISOString() };
  return decided([{ type: "WinnerRedrawn", data }]);
}

function cancel(command: CancelPlatformGiveaway, state: GiveawayState, handoffDecide: HandoffDecide): Decision<GiveawayEvent> {
  if (state.status === "none") return refused("giveaway_not_found", "no such giveaway");
  // Handoff's cancel, made on the giver's behalf: the event metadata names the platform as the actor.
  const { reason, now, lastWordsMs } = command;
  return handoffDecide({ type: "CancelGiveaway", by: state.giverId, reason, now, lastWordsMs }, state);
}

function postSystemMessage(command: PostSystemMessage, state: GiveawayState): Decision<GiveawayEvent> {
  if (state.status === "none") return refused("giveaway_not_found", "no such giveaway");
  if (state.status !== "drawn") return refused("conversation_closed", "the conversation opens when the winner is drawn");
  const content = command.content.trim();
  if (content.length < 1 || content.length > contentMaxLength) return refused("invalid_content", `a message must be 1 to ${contentMaxLength} characters`);
  const existing = state.messages.get(command.messageId);
  if (existing) {
    const same = existing.senderId === systemSenderId && existing.contentDigest === contentDigest(content);
    return same ? decided([]) : refused("message_id_conflict", "another message already has this id");
  }
  return decided([{ type: "SystemMessagePosted", data: { messageId: command.messageId, content, postedAt: command.now.toISOString() } }]);
}

function stillRunning(giveaway: DrawnGiveaway): Decision<never> | undefined {
  if (giveaway.pickup.phase === "completed") return refused("giveaway_completed", "this giveaway has been handed over");
  if (giveaway.pickup.phase === "cancelled") return refused("giveaway_cancelled", "this giveaway was cancelled");
  return undefined;
}

// Giveaway commands and the decider. Pure: the clock (`now`), ids and the random pick come in
// with the command, so the same command on the same state always decides the same.
import { decided, refused } from "./decision.ts";
import type { Decision } from "./decision.ts";
import type { GiveawayEvent } from "./events.ts";
import { assertNever, refuse } from "./errors.ts";
import { conversationFor } from "./conversationReaders.ts";
import type { GiveawayState } from "./giveaway.ts";
import { contentDigest } from "./messageIndex.ts";
import { decidePickup, isPickupCommand, type PickupCommand } from "./pickupDecide.ts";
import { decideChat, isChatCommand, messageLinksProblem } from "./conversationDecide.ts";
import type { ChatCommand } from "./conversationDecide.ts";
import { linksDigest } from "./conversationEvolve.ts";
import { decidePlatform, isPlatformCommand, type PlatformCommand } from "./platformGiveaway.ts";
import { decideModeration, isModerationCommand, type ModerationCommand } from "./moderationDecide.ts";
import { isBlockedBy } from "./blocks.ts";
import { decideReport, type FileReport } from "./reports.ts";
import { decideRating, type RateHandover } from "./ratings.ts";
import { decidePhoto, type AddGiveawayPhoto } from "./giveawayPhotos.ts";

import { contentMaxLength, descriptionMaxLength, titleMaxLength } from "./giveawayLimits.ts";
import type { ConductDraw, CreateGiveaway, MarkConversationRead, SendMessage, SubmitEntry } from "./giveawayCommands.ts";

export { contentMaxLength, descriptionMaxLength, titleMaxLength };

// The giveaway's own commands live in giveawayCommands.ts, so platformGiveaway.ts can name the ones it hands back here.
export type { ConductDraw, CreateGiveaway, MarkConversationRead, SendMessage, SubmitEntry } from "./giveawayCommands.ts";

export type GiveawayCommand = CreateGiveaway | SubmitEntry | ConductDraw | SendMessage | MarkConversationRead | PickupCommand | ChatCommand | PlatformCommand | FileReport | ModerationCommand | RateHandover | AddGiveawayPhoto;

/** `streamRevision`: the stream's newest revision the state was folded up to (-1: none), which a report records. */
export function decide(command: GiveawayCommand, state: GiveawayState, streamRevision = -1): Decision<GiveawayEvent> {
  if (isPickupCommand(command)) return decidePickup(command, state);
  if (isChatCommand(command)) return decideChat(command, state);
  if (isPlatformCommand(command)) return decidePlatform(command, state, decide);
  if (isModerationCommand(command)) return decideModeration(command, state);
  switch (command.type) {
    case "CreateGiveaway":
      return createGiveaway(command, state);
    case "SubmitEntry":
      return submitEntry(command, state);
    case "ConductDraw":
      return conductDraw(command, state);
    case "SendMessage":
      return sendMessage(command, state);
    case "MarkConversationRead":
      return markConversationRead(command, state);
    case "FileReport":
      return decideReport(command, state, streamRevision);
    case "RateHandover":
      return decideRating(command, state);
    case "AddGiveawayPhoto":
      return decidePhoto(command, state);
    default:
      return assertNever(command);
  }
}

function createGiveaway(command: CreateGiveaway, state: GiveawayState): Decision<GiveawayEvent> {
  if (state.status !== "none") return refused("giveaway_exists", "this giveaway already exists");
  const title = command.title.trim();
  if (title.length < 1 || title.length > titleMaxLength) {
    return refused("invalid_title", `the title must be 1 to ${titleMaxLength} characters`);
  }
  const description = (command.description ?? "").trim();
  if (description.length > descriptionMaxLength) {
    return refused("invalid_description", `the description must be at most ${descriptionMaxLength} characters`);
  }
  const { giveawayId, giverId, now } = command;
  return decided([
    { type: "GiveawayCreated", data: { giveawayId, giverId, title, description, createdAt: now.toISOString() } },
  ]);
}

function submitEntry(command: SubmitEntry, state: GiveawayState): Decision<GiveawayEvent> {
  if (state.status === "none") return refused("giveaway_not_found", "no such giveaway");
  if (command.userId === state.giverId) return refused("giver_cannot_enter", "the giver cannot enter their own giveaway");
  if (state.status === "open" && state.cancelledAt !== undefined) return refused("giveaway_cancelled", "this giveaway was cancelled");
  if (state.status === "drawn") return refused("already_drawn", "entries closed when the winner was drawn");
  // Entering twice is not an error: the entry already stands.
  if (state.entrants.includes(command.userId)) return decided([]);
  if (isBlockedBy(command.blockedBy, state.giverId)) return refused("blocked", "you cannot enter this giveaway");
  return decided([{ type: "EntrySubmitted", data: { userId: command.userId, enteredAt: command.now.toISOString() } }]);
}

function conductDraw(command: ConductDraw, state: GiveawayState): Decision<GiveawayEvent> {
  if (state.status === "none") return refused("giveaway_not_found", "no such giveaway");
  if (command.by !== state.giverId) return refused("not_giver", "only the giver can draw the winner");
  if (state.status === "drawn") return refused("already_drawn", "the winner has already been drawn");
  if (state.cancelledAt !== undefined) return refused("giveaway_cancelled", "this giveaway was cancelled");
  const count = state.entrants.length;
  if (count === 0) return refused("no_entrants", "nobody has entered yet");
  const index = command.pick(count);
  // A bad index is a bug in the picker, not a refusal: clamping would quietly skew the odds.
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`pick returned ${index}, expected an integer in [0, ${count})`);
  }
  const winnerId = state.entrants[index]!;
  return decided([{ type: "DrawConducted", data: { winnerId, drawnAt: command.now.toISOString() } }]);
}

function sendMessage(command: SendMessage, state: GiveawayState): Decision<GiveawayEvent> {
  const access = conversationFor(state, command.senderId, command.now);
  if (!access.ok) return access;
  const content = command.content.trim(); // only the ends: line breaks inside are kept
  if (content.length < 1 || content.length > contentMaxLength) {
    return refused("invalid_content", `a message must be 1 to ${contentMaxLength} characters`);
  }
  const existing = access.conversation.messages.get(command.messageId);
  if (existing) {
    // The same message sent again is a retry; anything else under that id is a clash.
    const sameLinks = existing.linksDigest === linksDigest(command);
    if (existing.senderId === command.senderId && existing.contentDigest === contentDigest(content) && sameLinks) return decided([]);
    return refused("message_id_conflict", "another message already has this id");
  }
  if (!access.canWrite) {
    // A winner replaced by a redraw is no longer a party to send; anyone else finds it closed.
    if (access.role === "former_winner") return refused("not_participant", "a redraw chose another winner: this conversation can still be read");
    return refused("conversation_read_only", "this conversation is closed: it can still be read");
  }
  // Blocked by the other person: the page says no more than "you can't send here".
  const recipient = command.senderId === access.conversation.giverId ? access.conversation.winnerId : access.conversation.giverId;
  if (isBlockedBy(command.blockedBy, recipient)) return refused("blocked", "you cannot send messages in this conversation");
  const problem = messageLinksProblem(command, access.conversation);
  if (problem) return { ok: false, error: problem };
  const { messageId, senderId, now, replyTo, attachmentIds } = command;
  const links = { ...(replyTo !== undefined && { replyTo }), ...(attachmentIds?.length && { attachmentIds: [...attachmentIds] }) };
  return decided([{ type: "MessageSent", data: { messageId, senderId, content, sentAt: now.toISOString(), ...links } }]);
}

function markConversationRead(command: MarkConversationRead, state: GiveawayState): Decision<GiveawayEvent> {
  const access = conversationFor(state, command.userId, command.now);
  if (!access.ok) return access;
  const { userId, upToRevision, now } = command;
  if (!Number.isInteger(upToRevision) || upToRevision < 0) {
    return refused("invalid_revision", "the read mark must be a whole number of at least 0");
  }
  // Marks only move forward; an older or equal mark is already covered.
  if (upToRevision <= (access.conversation.lastRead[userId] ?? -1)) return decided([]);
  return decided([{ type: "ConversationRead", data: { userId, upToRevision, readAt: now.toISOString() } }]);
}

// A giveaway's state, folded from its stream. Only what decide needs is kept.
import type { GiveawayEvent } from "./events.ts";
import { assertNever } from "./errors.ts";
import { contentDigest, MessageIndex } from "./messageIndex.ts";
import { evolveChat, isChatEvent, linksDigest } from "./conversationEvolve.ts";
import { evolveModeration, isModerationEvent } from "./moderationEvolve.ts";
import type { GiveawayState } from "./giveawayState.ts";
import { evolvePickup, noteWinnerActivity, startPickup } from "./pickup.ts";
import { isPickupEvent, type PickupEvent } from "./pickupEvents.ts";
import { evolveRating } from "./ratings.ts";
import { evolvePhoto } from "./giveawayPhotos.ts";

export type { StoredMessage } from "./messageIndex.ts";
// The state's shape lives in giveawayState.ts, so the folds of its parts can name it without importing this module back.
export type { DrawnGiveaway, GiveawayState, NoGiveaway, OpenGiveaway } from "./giveawayState.ts";

export const initialState: GiveawayState = { status: "none" };

/** A system message's sender in the fold's message index: no user's id is null, so nobody can edit, retract or resend it. */
export const systemSenderId = null;

/**
 * Folds one event. An event that cannot apply in the current state leaves it unchanged: decide
 * never emits one, and a fold must not fail on history that is already written.
 */
export function evolve(state: GiveawayState, event: GiveawayEvent, revision: number): GiveawayState {
  if (isChatEvent(event)) return state.status === "drawn" ? evolveChat(state, event) : state;
  if (isPickupEvent(event)) return evolvePickupEvent(state, event, revision);
  if (isModerationEvent(event)) return state.status === "drawn" ? evolveModeration(state, event) : state;
  switch (event.type) {
    case "GiveawayCreated": {
      if (state.status !== "none") return state;
      const { giveawayId, giverId, title, description } = event.data;
      return { status: "open", giveawayId, giverId, title, ...(description && { description }), entrants: [] };
    }
    case "EntrySubmitted": {
      if (state.status !== "open" || state.entrants.includes(event.data.userId)) return state;
      return { ...state, entrants: [...state.entrants, event.data.userId] };
    }
    case "DrawConducted": {
      if (state.status !== "open" || state.cancelledAt !== undefined) return state;
      const { winnerId, drawnAt } = event.data;
      const pickup = startPickup(winnerId, revision, drawnAt);
      return { ...state, status: "drawn", winnerId, drawnAt, messages: MessageIndex.empty(), lastRead: {}, pickup };
    }
    case "MessageSent": {
      if (state.status !== "drawn" || state.messages.has(event.data.messageId)) return state;
      const { messageId, senderId, content, sentAt } = event.data;
      // The participants' own id strings, so a long conversation does not hold one copy per message.
      const sender = senderId === state.giverId ? state.giverId : senderId === state.winnerId ? state.winnerId : senderId;
      const links = linksDigest(event.data);
      const stored = { senderId: sender, contentDigest: contentDigest(content), revision, sentAtMs: Date.parse(sentAt), ...(links && { linksDigest: links }) };
      const messages = state.messages.with(messageId, stored);
      // O(1): only the winner's first message changes the pickup.
      return { ...state, messages, pickup: noteWinnerActivity(state.pickup, senderId, sentAt) };
    }
    case "ConversationRead": {
      if (state.status !== "drawn") return state;
      const { userId, upToRevision } = event.data;
      // Read marks only move forward, even if an older mark is written late.
      if (upToRevision <= (state.lastRead[userId] ?? -1)) return state;
      return { ...state, lastRead: { ...state.lastRead, [userId]: upToRevision } };
    }
    case "SystemMessagePosted": {
      // Indexed like a message (a retried post is recognised, one may react or reply to it); nobody
      // sent it, and it is never the winner's activity.
      if (state.status !== "drawn" || state.messages.has(event.data.messageId)) return state;
      const { messageId, content, postedAt } = event.data;
      const stored = { senderId: systemSenderId, contentDigest: contentDigest(content), revision, sentAtMs: Date.parse(postedAt) };
      return { ...state, messages: state.messages.with(messageId, stored) };
    }
    case "GiveawayDetailsChanged": {
      if (state.status === "none") return state;
      const { title = state.title, description = state.description ?? "", giverId = state.giverId } = event.data;
      const { description: _replaced, ...rest } = state;
      return { ...rest, title, giverId, ...(description && { description }) };
    }
    case "EntryWithdrawn": {
      if (state.status !== "open") return state;
      return { ...state, entrants: state.entrants.filter((userId) => userId !== event.data.userId) };
    }
    case "ReportFiled":
      // for moderators (reportsProjection.ts); moderation keeps which reports are open (moderationEvolve.ts)
      return state.status === "drawn" ? evolveModeration(state, event) : state;
    case "HandoverRated":
      return evolveRating(state, event.data);
    case "GiveawayPhotoAdded":
      return evolvePhoto(state, event.data);
    default:
      return assertNever(event);
  }
}

/** A cancel before the draw closes entries; every other pickup fact belongs to a drawn giveaway. */
function evolvePickupEvent(state: GiveawayState, event: PickupEvent, revision: number): GiveawayState {
  if (state.status === "open" && event.type === "GiveawayCancelled") return { ...state, cancelledAt: event.data.cancelledAt };
  if (state.status !== "drawn") return state;
  const pickup = evolvePickup(state.pickup, event, revision);
  return event.type === "WinnerRedrawn" ? { ...state, pickup, winnerId: event.data.winnerId } : { ...state, pickup };
}

export interface RevisionedEvent {
  readonly event: GiveawayEvent;
  readonly revision: number;
}

/** Folds events onto `from` (default: no giveaway) without changing `from`; each step is O(1) in the conversation's length. */
export function foldGiveaway(events: Iterable<RevisionedEvent>, from: GiveawayState = initialState): GiveawayState {
  let state = from;
  for (const { event, revision } of events) state = evolve(state, event, revision);
  return state;
}

/** Only the giver and the winner talk, and only once the draw has happened. */
export function isParticipant(state: GiveawayState, userId: string): boolean {
  return state.status === "drawn" && (userId === state.giverId || userId === state.winnerId);
}

// A giveaway's state, folded from its stream. Only what decide needs is kept.
import type { GiveawayEvent } from "./events.ts";
import { assertNever } from "./errors.ts";

export interface NoGiveaway {
  readonly status: "none";
}

export interface OpenGiveaway {
  readonly status: "open";
  readonly giveawayId: string;
  readonly giverId: string;
  readonly title: string;
  /** Unique, in entry order (the draw picks by index). */
  readonly entrants: readonly string[];
}

export interface StoredMessage {
  readonly senderId: string;
  readonly content: string;
  /** Stream revision of the MessageSent event. */
  readonly revision: number;
  readonly sentAt: string;
}

export interface DrawnGiveaway {
  readonly status: "drawn";
  readonly giveawayId: string;
  readonly giverId: string;
  readonly title: string;
  readonly entrants: readonly string[];
  readonly winnerId: string;
  readonly drawnAt: string;
  /** By message id: a retried send is recognised and not stored twice. */
  readonly messages: ReadonlyMap<string, StoredMessage>;
  /** Highest revision each participant has read up to. */
  readonly lastRead: Readonly<Record<string, number>>;
}

export type GiveawayState = NoGiveaway | OpenGiveaway | DrawnGiveaway;

export const initialState: GiveawayState = { status: "none" };

/**
 * Folds one event. An event that cannot apply in the current state leaves it unchanged: decide
 * never emits one, and a fold must not fail on history that is already written.
 */
export function evolve(state: GiveawayState, event: GiveawayEvent, revision: number): GiveawayState {
  return step(state, event, revision, false);
}

/** `ownsMessages`: the messages map was made by the caller's own fold, so it may grow in place. */
function step(state: GiveawayState, event: GiveawayEvent, revision: number, ownsMessages: boolean): GiveawayState {
  switch (event.type) {
    case "GiveawayCreated": {
      if (state.status !== "none") return state;
      const { giveawayId, giverId, title } = event.data;
      return { status: "open", giveawayId, giverId, title, entrants: [] };
    }
    case "EntrySubmitted": {
      if (state.status !== "open" || state.entrants.includes(event.data.userId)) return state;
      return { ...state, entrants: [...state.entrants, event.data.userId] };
    }
    case "DrawConducted": {
      if (state.status !== "open") return state;
      const { winnerId, drawnAt } = event.data;
      return { ...state, status: "drawn", winnerId, drawnAt, messages: new Map(), lastRead: {} };
    }
    case "MessageSent": {
      if (state.status !== "drawn" || state.messages.has(event.data.messageId)) return state;
      const { messageId, senderId, content, sentAt } = event.data;
      const message = { senderId, content, revision, sentAt };
      // Copy on write keeps states others hold intact; a fold's own map grows in place, else a
      // long conversation would fold in quadratic time.
      const messages = ownsMessages ? state.messages : new Map(state.messages);
      (messages as Map<string, StoredMessage>).set(messageId, message);
      return { ...state, messages };
    }
    case "ConversationRead": {
      if (state.status !== "drawn") return state;
      const { userId, upToRevision } = event.data;
      // Read marks only move forward, even if an older mark is written late.
      if (upToRevision <= (state.lastRead[userId] ?? -1)) return state;
      return { ...state, lastRead: { ...state.lastRead, [userId]: upToRevision } };
    }
    default:
      return assertNever(event);
  }
}

export interface RevisionedEvent {
  readonly event: GiveawayEvent;
  readonly revision: number;
}

/** Folds events onto `from` (default: no giveaway) without changing `from`. */
export function foldGiveaway(events: Iterable<RevisionedEvent>, from: GiveawayState = initialState): GiveawayState {
  let state = from;
  let ownsMessages = from.status !== "drawn";
  for (const { event, revision } of events) {
    // The first change copies a map the caller holds; after that every map in here is this fold's own.
    if (!ownsMessages && state.status === "drawn") {
      state = { ...state, messages: new Map(state.messages) };
      ownsMessages = true;
    }
    state = step(state, event, revision, ownsMessages);
  }
  return state;
}

/** Only the giver and the winner talk, and only once the draw has happened. */
export function isParticipant(state: GiveawayState, userId: string): boolean {
  return state.status === "drawn" && (userId === state.giverId || userId === state.winnerId);
}

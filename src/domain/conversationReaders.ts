// Who could read a giveaway's conversation at a point of its stream, and whose part of it each
// event is: the one participant rule (conversationAccess.ts) asked of the stream's own fold, so
// the audit (page, API, command line) follows the log like the chat does. Pure.
import { conversationAccess, type ConversationFacts, type ConversationRole } from "./conversationAccess.ts";
import { refuse, type DomainError } from "./errors.ts";
import type { DrawnGiveaway, GiveawayState } from "./giveawayState.ts";
import type { Round } from "./pickup.ts";
import { roundOfRevision } from "./pickupAccess.ts";

/** The facts the participant rule needs, from a giveaway's fold. */
export function conversationFactsOf(state: GiveawayState, userId: string): ConversationFacts {
  return {
    status: state.status,
    giverId: state.status === "none" ? undefined : state.giverId,
    winnerId: state.status === "drawn" ? state.winnerId : undefined,
    hasEntered: state.status !== "none" && state.entrants.includes(userId),
    rounds: state.status === "drawn" ? state.pickup.rounds : undefined,
    readOnlyFrom: state.status === "drawn" ? state.pickup.readOnlyFrom : undefined,
  };
}

type ConversationFor =
  | { ok: true; conversation: DrawnGiveaway; canWrite: boolean; role: ConversationRole }
  | { ok: false; error: DomainError };

/** The one participant rule (conversationAccess.ts), asked of the stream's fold. */
export function conversationFor(state: GiveawayState, userId: string, now: Date): ConversationFor {
  const access = conversationAccess(conversationFactsOf(state, userId), userId, now);
  if (!access.ok) return { ok: false, error: refuse(access.code, access.message) };
  return state.status === "drawn" ? { ok: true, conversation: state, canWrite: access.canWrite, role: access.role } : { ok: false, error: refuse("giveaway_not_found", "no such giveaway") };
}

/** What an event is about besides its revision: who did it, and the message it concerns (an edit, a reaction). */
export interface EventAbout {
  readonly actorId?: string | undefined;
  readonly messageId?: string | undefined;
}

/**
 * Whose part of the conversation an event is, given the fold including it: "everyone" for the
 * giveaway up to and including the draw; both rounds for the redraw between them; else the round
 * of the message it concerns, the former winner's own round for what they do after it ended (a
 * read mark), or the round its revision falls in.
 */
export function roundsConcerned(state: GiveawayState, revision: number, about: EventAbout): "everyone" | Round[] {
  if (state.status !== "drawn") return "everyone";
  const rounds = state.pickup.rounds;
  if (revision <= rounds[0]!.fromRevision) return "everyone";
  const opened = rounds.findIndex((round) => round.fromRevision === revision);
  if (opened > 0) return [rounds[opened - 1]!, rounds[opened]!];
  const message = about.messageId === undefined ? undefined : state.messages.get(about.messageId);
  const byRevision = roundOfRevision(rounds, message?.revision ?? revision);
  if (message) return byRevision ? [byRevision] : [];
  const formerRound = [...rounds].reverse().find((round) => round.winnerId === about.actorId && round.untilRevision !== undefined && round.untilRevision < revision);
  if (formerRound) return [formerRound];
  return byRevision ? [byRevision] : [];
}

/** Whether the rule lets `userId` see, in the audit, an event at `revision` (`state`: the fold including it). */
export function mayAuditEvent(state: GiveawayState, revision: number, about: EventAbout, userId: string, at: Date): boolean {
  const concerned = roundsConcerned(state, revision, about);
  if (concerned === "everyone") return true;
  const access = conversationAccess(conversationFactsOf(state, userId), userId, at);
  return access.ok && concerned.some((round) => access.rounds.some((granted) => granted.fromRevision === round.fromRevision));
}

export interface ConversationReader {
  readonly userId: string;
  readonly role: ConversationRole;
  /** May send at that moment (a former winner never; nobody once the conversation is read-only). */
  readonly canWrite: boolean;
}

/** Everyone the rule lets read the conversation in this state, at `at`: the giver, then every winner so far, oldest first. */
export function readersOf(state: GiveawayState, at: Date): ConversationReader[] {
  if (state.status !== "drawn") return [];
  const candidates = new Set([state.giverId, ...state.pickup.rounds.map((round) => round.winnerId)]);
  return [...candidates].flatMap((userId) => {
    const access = conversationAccess(conversationFactsOf(state, userId), userId, at);
    return access.ok ? [{ userId, role: access.role, canWrite: access.canWrite }] : [];
  });
}

/** The round (1 = the first draw's) an event belongs to, for showing rounds apart; undefined for "everyone". */
export function roundNumberOf(state: GiveawayState, revision: number, about: EventAbout): number | undefined {
  const concerned = roundsConcerned(state, revision, about);
  if (concerned === "everyone" || state.status !== "drawn" || concerned.length === 0) return undefined;
  return state.pickup.rounds.indexOf(concerned[concerned.length - 1]!) + 1;
}

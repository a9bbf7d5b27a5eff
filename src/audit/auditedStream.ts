// A giveaway's stream as one viewer may audit it: folded as it is read, each event kept only when
// the participant rule gives it to the viewer (domain/conversationReaders.ts), less what the viewer
// may not see of it (auditRedaction.ts), and the readers of the conversation noted wherever they
// change. The audit page, the events API and `npm run replay` all read a giveaway's stream through here.
import { mayAuditEvent, readersOf, roundNumberOf, type ConversationReader, type EventAbout } from "../domain/conversationReaders.ts";
import { parseGiveawayEvent } from "../domain/events.ts";
import { evolve, initialState, type GiveawayState } from "../domain/giveaway.ts";
import { giveawayStream } from "../domain/streams.ts";
import type { EventStore } from "../eventstore/port.ts";
import { toAuditEvent, type AuditEvent } from "./auditEvent.ts";
import { toAuditLine, type AuditLine } from "./auditLine.ts";
import { everything, sightOf, someoneElse, type AuditViewer, type MessageFate, type Sight } from "./auditRedaction.ts";
import { messageFates } from "./messageFates.ts";
import { readStreamPages } from "./storePages.ts";
import { cutAt, type Until } from "./until.ts";

/** A participant sees what the rule gives them; the operator (the command line, over the store itself) sees every round. */
export type { AuditViewer };

/** A reader of the conversation; userId null: withheld from this viewer. */
export type AuditedReader = Omit<ConversationReader, "userId"> & { readonly userId: string | null };

export interface ReadersChange {
  /** The revision from which these readers stand. */
  fromRevision: number;
  readers: AuditedReader[];
}

export interface AuditedEvent {
  /** The stored event as the viewer is shown it. */
  event: AuditEvent;
  line: AuditLine;
  /** The winner's round it belongs to (1 = the first draw's); undefined for the giveaway up to the draw. winnerId null: withheld. */
  round: { number: number; winnerId: string | null } | undefined;
  /** Set on the first event this viewer sees after the readers changed. */
  readers: ReadersChange | undefined;
}

function aboutOf(line: AuditLine): EventAbout {
  const { messageId } = line.detail as { messageId?: unknown };
  // A line that sends a message belongs to its own revision's round; one about a message, to that message's.
  const sends = line.detail.type === "MessageSent" || line.detail.type === "SystemMessagePosted";
  return { actorId: line.whoId, messageId: !sends && typeof messageId === "string" ? messageId : undefined };
}

function roundOf(state: GiveawayState, revision: number, about: EventAbout): AuditedEvent["round"] {
  const number = roundNumberOf(state, revision, about);
  if (number === undefined || state.status !== "drawn") return undefined;
  return { number, winnerId: state.pickup.rounds[number - 1]!.winnerId };
}

/**
 * StreamNotFoundError (on the first read) when there is no such giveaway. `read.revision` follows
 * every event read, shown or not, so a caller knows where the cut fell.
 */
export async function* auditedEventsUntil(
  store: EventStore,
  giveawayId: string,
  until: Until | undefined,
  viewer: AuditViewer,
  read: { revision: number } = { revision: -1 },
): AsyncGenerator<AuditedEvent> {
  let state: GiveawayState = initialState;
  let lastReaders = "[]";
  let pending: { fromRevision: number; readers: ConversationReader[] } | undefined;
  // Read ahead: a message removed later is withheld at every earlier point too.
  const fates: ReadonlyMap<string, MessageFate> = viewer === "operator" ? new Map() : await messageFates(store, giveawayId);
  for await (const recorded of cutAt(readStreamPages(store, giveawayStream(giveawayId)), until)) {
    const revision = Number(recorded.revision);
    read.revision = revision;
    const line = toAuditLine(recorded);
    // Stored data that no longer fits the catalogue is shown, never folded.
    if (line.detail.type !== "Unreadable") state = evolve(state, parseGiveawayEvent(recorded.type, recorded.data), revision);
    const readers = readersOf(state, recorded.created);
    const signature = JSON.stringify(readers);
    if (signature !== lastReaders) pending = { fromRevision: revision, readers };
    lastReaders = signature;
    const about = aboutOf(line);
    if (viewer !== "operator" && !mayAuditEvent(state, revision, about, viewer.userId, recorded.created)) continue;
    // A report is its reporter's: the person reported does not learn of it from the audit.
    if (viewer !== "operator" && line.detail.type === "ReportFiled" && line.whoId !== viewer.userId) continue;
    const sight = sightOf(viewer, state.status === "none" ? undefined : state.giverId, fates);
    yield {
      event: toAuditEvent(recorded, sight),
      line: sight === everything ? line : toAuditLine(recorded, sight),
      round: roundShown(roundOf(state, revision, about), sight),
      readers: pending && { ...pending, readers: pending.readers.map((reader) => (sight.names(reader.userId) ? reader : { ...reader, userId: null })) },
    };
    pending = undefined;
  }
}

function roundShown(round: AuditedEvent["round"], sight: Sight): AuditedEvent["round"] {
  return round?.winnerId && !sight.names(round.winnerId) ? { ...round, winnerId: null } : round;
}

/** The readers as a sentence: "giver ann, bob (former winner) read-only, winner carl". */
export function describeReaders(readers: readonly AuditedReader[], nameOf: (userId: string) => string): string {
  if (readers.length === 0) return "nobody";
  return readers
    .map((reader) => {
      const name = reader.userId === null ? someoneElse : nameOf(reader.userId);
      if (reader.role === "former_winner") return `${name} (former winner) read-only`;
      return `${reader.role} ${name}${reader.canWrite ? "" : " read-only"}`;
    })
    .join(", ");
}

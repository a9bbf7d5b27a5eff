// What of a giveaway's events an audit reader is shown: the one rule (pure), for the events API,
// the audit page and `npm run replay -- --as`. A participant other than the giver is shown the user
// ids of only themselves and the giver (never the other entrants, nor the other winner of a redraw);
// nobody but its sender is shown the content of a message that was removed. A withheld value
// becomes null and the event stays, with its hash, so the chain can still be checked.
import type { GiveawayEvent, GiveawayEventType } from "../domain/events.ts";
import { isGiveawayEventType } from "../domain/events.ts";
import { isId } from "../domain/ids.ts";

/** Who reads: a participant (the rule decides the rest), or the operator (the command line), who sees everything. */
export type AuditViewer = { readonly userId: string } | "operator";

type DataOf<T extends GiveawayEventType> = Extract<GiveawayEvent, { type: T }>["data"];

/**
 * The events that take a message's content from every reader but its sender, read ahead of the
 * audit (messageFates.ts), since they come after the message. This table is the one place that
 * decides it (the sender keeps reading their own: sightOf below); a new way to remove a message is one more line.
 */
const contentRemovers: { [T in GiveawayEventType]?: (data: DataOf<T>) => { messageId: string; at: string } } = {
  MessageRetracted: (data) => ({ messageId: data.messageId, at: data.retractedAt }),
  MessageHidden: (data) => ({ messageId: data.messageId, at: data.hiddenAt }),
};

/** What became of a message that keeps its content from readers other than its sender: the event that did it, and when. */
export interface MessageFate {
  readonly event: GiveawayEventType;
  readonly at: string;
}

/** The fate an event gives the message it names, if it is one of the table's. */
export function fateOf(event: GiveawayEvent): { messageId: string; fate: MessageFate } | undefined {
  const remover = contentRemovers[event.type] as ((data: GiveawayEvent["data"]) => { messageId: string; at: string }) | undefined;
  if (!remover) return undefined;
  const { messageId, at } = remover(event.data);
  return { messageId, fate: { event: event.type, at } };
}

export function removesContent(type: string): type is GiveawayEventType {
  return Object.hasOwn(contentRemovers, type);
}

/** What one reader is shown of one event. */
export interface Sight {
  /** The giver and the operator: every user id. */
  readonly namesEveryone: boolean;
  /** Whether this user id is shown (else it is null). Actors that are no user (`platform:…`, `system:…`) always are. */
  names(userId: string): boolean;
  /** Why this message's content is withheld from the reader; undefined when it is shown. */
  withheld(messageId: string, senderId: string | null): MessageFate | undefined;
}

export const everything: Sight = { namesEveryone: true, names: () => true, withheld: () => undefined };

/** `giverId`: the giver in the fold including the event; `fates`: every message removed so far in the whole stream. */
export function sightOf(viewer: AuditViewer, giverId: string | undefined, fates: ReadonlyMap<string, MessageFate>): Sight {
  if (viewer === "operator") return everything;
  const { userId } = viewer;
  const namesEveryone = userId === giverId;
  return {
    namesEveryone,
    names: (id) => namesEveryone || id === userId || id === giverId || !isId(id),
    // The sender keeps reading what they wrote; for everyone else the fate decides.
    withheld: (messageId, senderId) => (senderId === userId ? undefined : fates.get(messageId)),
  };
}

/** How a reader's text calls a person whose id is withheld. */
export const someoneElse = "someone else";

/** Every field of an event's data that holds a user id (a new event type must say which of its fields do). */
export const userIdFields = {
  GiveawayCreated: ["giverId"],
  EntrySubmitted: ["userId"],
  DrawConducted: ["winnerId"],
  MessageSent: ["senderId"],
  ConversationRead: ["userId"],
  SystemMessagePosted: [],
  PickupProposed: ["proposedBy"],
  PickupProposalAccepted: ["acceptedBy"],
  PickupProposalDeclined: ["declinedBy"],
  PickupReminderSent: [],
  HandoverConfirmed: ["userId"],
  GiveawayCompleted: [],
  PrizeDeclined: ["winnerId"],
  WinnerRedrawn: ["winnerId", "previousWinnerId"],
  GiveawayCancelled: ["cancelledBy"],
  ReactionAdded: ["userId"],
  ReactionRemoved: ["userId"],
  MessageEdited: ["editorId"],
  MessageRetracted: ["retractedBy"],
  AttachmentUploaded: ["uploaderId"],
  ConversationMuted: ["userId"],
  ConversationUnmuted: ["userId"],
  GiveawayDetailsChanged: ["giverId"],
  EntryWithdrawn: ["userId"],
  ReportDismissed: ["moderatorId"],
  MessageHidden: ["moderatorId"],
  ConversationViewedByModerator: ["moderatorId"],
  ReportFiled: ["reporterId", "reportedUserId"],
  HandoverRated: ["raterId", "rateeId"],
  GiveawayPhotoAdded: ["addedBy"],
} as const satisfies { [E in GiveawayEvent as E["type"]]: readonly (keyof E["data"])[] };

/** An event's data with the user ids the reader may not see as null. */
export type WithIdsShown<E extends GiveawayEvent> = E extends GiveawayEvent
  ? { type: E["type"]; data: { [K in keyof E["data"]]: K extends (typeof userIdFields)[E["type"]][number] ? E["data"][K] | null : E["data"][K] } }
  : never;

function fieldsOf(data: unknown): Record<string, unknown> | undefined {
  return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}

/** The data with withheld user ids as null; `undefined` when nothing is withheld. */
function idsShown(type: GiveawayEventType, data: Record<string, unknown>, sight: Sight): Record<string, unknown> | undefined {
  let shown: Record<string, unknown> | undefined;
  for (const field of userIdFields[type] as readonly string[]) {
    const value = data[field];
    if (typeof value === "string" && !sight.names(value)) (shown ??= { ...data })[field] = null;
  }
  return shown;
}

/** A parsed event as the reader is shown it (user ids only; a message's content is the line's to withhold). */
export function eventShown<E extends GiveawayEvent>(event: E, sight: Sight): WithIdsShown<E> {
  const shown = idsShown(event.type, event.data as Record<string, unknown>, sight);
  return (shown ? { type: event.type, data: shown } : event) as WithIdsShown<E>;
}

/** The sender of the message whose content an event holds (MessageSent, MessageEdited). */
function messageHeld(type: GiveawayEventType, data: Record<string, unknown>): { messageId: unknown; senderId: unknown } | undefined {
  if (type === "MessageSent") return { messageId: data.messageId, senderId: data.senderId };
  if (type === "MessageEdited") return { messageId: data.messageId, senderId: data.editorId };
  return undefined;
}

/**
 * A stored event's data and metadata as the reader is shown them: withheld user ids null, a removed
 * message's content null with `removed: true`. `redacted` says something was withheld, so a reader
 * checking the chain takes this event by its `hash` instead of recomputing it.
 */
export function storedShown(type: string, data: unknown, metadata: unknown, sight: Sight): { data: unknown; metadata: unknown; redacted: boolean } {
  const fields = fieldsOf(data);
  let shownData: unknown = data;
  if (!isGiveawayEventType(type)) {
    // What an event of no known type names cannot be told: its data is the giver's and the operator's.
    if (!sight.namesEveryone && data !== null) shownData = null;
  } else if (fields) {
    const held = messageHeld(type, fields);
    const withheld = held && typeof held.messageId === "string" && sight.withheld(held.messageId, typeof held.senderId === "string" ? held.senderId : null);
    const ids = idsShown(type, fields, sight);
    if (withheld) {
      // Its files go with its text, as the read model withdraws them.
      const { attachmentIds: _files, ...kept } = { ...fields, ...ids };
      shownData = { ...kept, content: null, removed: true };
    } else if (ids) shownData = { ...fields, ...ids };
  }
  const meta = fieldsOf(metadata);
  const actorId = meta?.actorId;
  const shownMetadata = typeof actorId === "string" && !sight.names(actorId) ? { ...meta, actorId: null } : metadata;
  return { data: shownData, metadata: shownMetadata, redacted: shownData !== data || shownMetadata !== metadata };
}

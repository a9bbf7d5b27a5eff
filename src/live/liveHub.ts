// One process-wide fan-out: the projection runner publishes what it applied, stream connections listen.
import type { ProjectedEvent } from "../projections/projection.ts";
import type { MessageView } from "../projections/conversationProjection.ts";
import type { TimelineEvent } from "../projections/timelineProjection.ts";
import { PresenceBoard } from "./presenceBoard.ts";
import { isPickupEvent, type PickupEvent } from "../domain/pickupEvents.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import { SlicedDelivery } from "./slicedDelivery.ts";
import { inProcessTypingSignals, type TypingSignals } from "./typingSignals.ts";

/** Durable frames (TimelineEvent, resumable by revision) and ephemeral ones (presence, typing: no revision). */
export type ConversationEvent =
  | TimelineEvent
  | { kind: "presence"; giveawayId: string; userId: string; online: boolean; lastSeenAt: string | null }
  | { kind: "typing"; giveawayId: string; userId: string; username: string; until: string };

export type UserNotification =
  | { kind: "message"; giveawayId: string; message: MessageView }
  | { kind: "draw_won"; giveawayId: string; title: string; drawnAt: string; revision: number }
  | { kind: "unread"; giveawayId: string; unreadCount: number; unreadTotal: number }
  /** To the giver: someone entered (their page's entrant count and draw button follow). */
  | { kind: "entered"; giveawayId: string; revision: number }
  | { kind: "pickup"; giveawayId: string; title: string; revision: number; event: PickupEvent }
  | { kind: "muted"; giveawayId: string; muted: boolean };

/** A function, or an object that receives (a stream's follower: no closure kept per connection). */
export type Listener<T> = ((event: T) => void) | { receive(event: T): void };

export interface LiveHubDeps {
  messageAtRevision(giveawayId: string, revision: number): MessageView | undefined;
  participantsOf(giveawayId: string): { giverId: string; winnerId: string | null; title: string } | undefined;
  unreadFor(userId: string, giveawayId: string): { unreadCount: number; unreadTotal: number };
  /** This process's own presence count flipped (other processes learn it through the store). */
  onLocalPresence?(giveawayId: string, userId: string, online: boolean): void;
  now?: () => number;
  /** The durable frame an event made (a read mark, a reaction, an edit...), if any. */
  timelineAt?(giveawayId: string, revision: number): TimelineEvent | undefined;
  /** When the user last did something in the conversation: "last seen" when this process has not seen them. */
  lastActiveAt?(giveawayId: string, userId: string): string | null;
  typingSignals?: TypingSignals;
  /** Deliveries per turn of the event loop at least (slicedDelivery.ts); tests make it small. */
  sliceSize?: number;
}

const timelineEventTypes: ReadonlySet<string> = new Set(["ConversationRead", "ReactionAdded", "ReactionRemoved", "MessageEdited", "MessageRetracted", "MessageHidden"]);

export class LiveHub {
  private readonly conversations = new Map<string, Set<Listener<ConversationEvent>>>();
  private readonly users = new Map<string, Set<Listener<UserNotification>>>();
  /** Online means a conversation connection open here, or another process announcing one. */
  readonly presence: PresenceBoard;
  private readonly now: () => number;
  /** When each user was last seen going offline in a conversation (process memory). */
  private readonly lastSeen = new Map<string, Map<string, string>>();
  readonly typingSignals: TypingSignals;
  readonly #delivery: SlicedDelivery;

  constructor(private readonly deps: LiveHubDeps) {
    this.now = deps.now ?? Date.now;
    this.#delivery = new SlicedDelivery(deliverOne, deps.sliceSize);
    this.presence = new PresenceBoard({
      onChange: (giveawayId, userId, online) => {
        const lastSeenAt = new Date(this.now()).toISOString();
        if (!online) this.lastSeen.set(giveawayId, (this.lastSeen.get(giveawayId) ?? new Map<string, string>()).set(userId, lastSeenAt));
        this.emit(this.conversations.get(giveawayId), { kind: "presence", giveawayId, userId, online, lastSeenAt });
      },
      onLocalChange: deps.onLocalPresence,
    });
    this.typingSignals = deps.typingSignals ?? inProcessTypingSignals();
    this.typingSignals.subscribe((signal) => this.emit(this.conversations.get(signal.giveawayId), { kind: "typing", ...signal }));
  }

  /** Called by the projection runner after each committed batch. */
  publish(applied: ProjectedEvent[]): void {
    for (const projected of applied) {
      if (projected.stream !== "giveaway") continue;
      const { giveawayId, event, recorded } = projected;
      const revision = Number(recorded.revision);
      if (timelineEventTypes.has(event.type) && this.conversations.has(giveawayId)) {
        const frame = this.deps.timelineAt?.(giveawayId, revision);
        if (frame) this.emit(this.conversations.get(giveawayId), frame);
      }
      if (event.type === "ConversationMuted" || event.type === "ConversationUnmuted") {
        this.emit(this.users.get(event.data.userId), { kind: "muted", giveawayId, muted: event.type === "ConversationMuted" });
        continue;
      }
      // The queries below run only for someone listening: a rebuild at start publishes every
      // event of the log, and nobody is connected yet.
      if (event.type === "MessageSent" || event.type === "SystemMessagePosted") {
        const conversationListeners = this.conversations.get(giveawayId);
        if (!conversationListeners && this.users.size === 0) continue;
        const message = this.deps.messageAtRevision(giveawayId, revision);
        if (!message) continue;
        this.emit(conversationListeners, { kind: "message", giveawayId, message });
        if (this.users.size === 0) continue;
        const participants = this.deps.participantsOf(giveawayId);
        for (const userId of [participants?.giverId, participants?.winnerId]) {
          if (!userId || !this.users.has(userId)) continue;
          this.emit(this.users.get(userId), { kind: "message", giveawayId, message });
          this.emit(this.users.get(userId), { kind: "unread", giveawayId, ...this.deps.unreadFor(userId, giveawayId) });
        }
      } else if (event.type === "DrawConducted") {
        if (!this.users.has(event.data.winnerId)) continue;
        const title = this.deps.participantsOf(giveawayId)?.title ?? "";
        this.emit(this.users.get(event.data.winnerId), { kind: "draw_won", giveawayId, title, drawnAt: event.data.drawnAt, revision });
      } else if (event.type === "EntrySubmitted") {
        if (this.users.size === 0) continue;
        const giverId = this.deps.participantsOf(giveawayId)?.giverId;
        if (giverId && this.users.has(giverId)) this.emit(this.users.get(giverId), { kind: "entered", giveawayId, revision });
      } else if (isPickupEvent(event)) {
        this.emit(this.conversations.get(giveawayId), { kind: "pickup", giveawayId, revision, event });
        if (this.users.size === 0) continue;
        const participants = this.deps.participantsOf(giveawayId);
        // The giver, the current winner, and a winner just replaced (told live that they were).
        const recipients = new Set([participants?.giverId, participants?.winnerId]);
        if (event.type === "WinnerRedrawn") recipients.add(event.data.previousWinnerId);
        const title = participants?.title ?? "";
        for (const userId of recipients) {
          if (userId) this.emit(this.users.get(userId), { kind: "pickup", giveawayId, title, revision, event });
        }
      } else if (event.type === "ConversationRead") {
        const userId = event.data.userId;
        if (!this.users.has(userId)) continue;
        this.emit(this.users.get(userId), { kind: "unread", giveawayId, ...this.deps.unreadFor(userId, giveawayId) });
      }
    }
  }

  /** Listens to one conversation; also counts the user as online in it until the returned function runs. */
  joinConversation(giveawayId: string, userId: string, listener: Listener<ConversationEvent>): () => void {
    this.add(this.conversations, giveawayId, listener);
    this.presence.join(giveawayId, userId, this.now());
    return () => this.leaveConversation(giveawayId, userId, listener);
  }

  /** Leaves what joinConversation joined, for a caller that keeps its listener rather than the returned function. */
  leaveConversation(giveawayId: string, userId: string, listener: Listener<ConversationEvent>): void {
    if (!this.conversations.get(giveawayId)?.has(listener)) return;
    this.remove(this.conversations, giveawayId, listener);
    this.presence.leave(giveawayId, userId, this.now());
  }

  listenToUser(userId: string, listener: Listener<UserNotification>): () => void {
    this.add(this.users, userId, listener);
    return () => this.remove(this.users, userId, listener);
  }

  isOnline(giveawayId: string, userId: string): boolean {
    return this.presence.isOnline(giveawayId, userId, this.now());
  }

  /**
   * Whether the user has any handoff stream open: a conversation's (here, or announced by another
   * process through presence) or their own notifications stream on a page or the API (here only).
   */
  hasOpenStream(userId: string): boolean {
    return this.users.has(userId) || this.presence.isOnlineAnywhere(userId, this.now());
  }

  /** Online now, or when last seen: here, else their last activity in the conversation, else unknown (null). */
  presenceOf(giveawayId: string, userId: string): { online: boolean; lastSeenAt: string | null } {
    if (this.isOnline(giveawayId, userId)) return { online: true, lastSeenAt: new Date(this.now()).toISOString() };
    const seen = this.lastSeen.get(giveawayId)?.get(userId) ?? null;
    const active = this.deps.lastActiveAt?.(giveawayId, userId) ?? null;
    return { online: false, lastSeenAt: seen === null || (active !== null && active > seen) ? active : seen };
  }

  connectionCount(): number {
    let count = 0;
    for (const listeners of this.conversations.values()) count += listeners.size;
    for (const listeners of this.users.values()) count += listeners.size;
    return count;
  }

  private add<T>(registry: Map<string, Set<Listener<T>>>, key: string, listener: Listener<T>): void {
    const listeners = registry.get(key) ?? new Set<Listener<T>>();
    listeners.add(listener);
    registry.set(key, listeners);
  }

  private remove<T>(registry: Map<string, Set<Listener<T>>>, key: string, listener: Listener<T>): void {
    const listeners = registry.get(key);
    if (!listeners) return;
    listeners.delete(listener);
    if (listeners.size === 0) registry.delete(key);
  }

  /** Delivers whatever is still waiting, now (before the process's streams close). */
  flush(): void {
    this.#delivery.flush();
  }

  private emit<T>(listeners: Set<Listener<T>> | undefined, event: T) {
    if (!listeners) return;
    // A snapshot: a big room is delivered over several turns (slicedDelivery.ts).
    this.#delivery.add([...listeners], event);
  }
}

/** A listener that throws must not stop the others. */
function deliverOne(listener: unknown, event: unknown): void {
  try {
    if (typeof listener === "function") listener(event);
    else (listener as { receive(event: unknown): void }).receive(event);
  } catch (error) {
    componentLogger("live").error(errorFields(error, true), "live listener failed");
  }
}

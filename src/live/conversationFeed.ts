// A conversation from a revision on: history from the read model, then live from the hub, no gap, no duplicate.
import { componentLogger, errorFields } from "../observability/logger.ts";
import { timelineRevision, type TimelineEvent } from "../projections/timelineProjection.ts";
import type { ConversationEvent, LiveHub } from "./liveHub.ts";

/** What following a conversation reads: narrow, so live/ needs nothing of the application (app/conversationFeedSources.ts builds it). */
export interface ConversationFeedSources {
  /** The conversation's durable frames after a revision, a page at a time. */
  timelinePage(giveawayId: string, afterRevision: number, limit: number): { events: TimelineEvent[]; next: number | undefined };
  hub: Pick<LiveHub, "joinConversation" | "leaveConversation">;
  /** The newest revision this process's read models show. */
  appliedRevision(giveawayId: string): number;
  /**
   * The participant rule as it stands now: whether `userId` may read the event at a revision. Read
   * once per call (it costs queries); a redraw changes it, so the feed asks again after a pickup event.
   */
  readerOf(giveawayId: string, userId: string): (revision: number) => boolean;
}

export interface FollowConversationOptions {
  giveawayId: string;
  userId: string;
  /** Exclusive: the last revision the client has (-1: from the start); "now": only what happens from now on. */
  after: number | "now";
  /** Called as a method of these options, so a class can carry it on its prototype. */
  deliver(event: ConversationEvent): void;
  /**
   * The connection, when the feed should pace itself to it: history waits until the client has taken
   * what it was sent (`drained`), so a long history never piles up in memory; and the slow-consumer
   * bound holds while history is replayed too: live events held back meanwhile, plus what the client
   * has not taken yet, may not pass `maxQueuedBytes`; past it, `drop` (the client resumes by Last-Event-ID).
   */
  client?: FeedClient;
}

export interface FeedClient {
  maxQueuedBytes: number;
  drained(): Promise<void>;
  queuedBytes(): number;
  drop(): void;
}

/** What a held-back event will cost once sent (its JSON, as the frames carry it). */
function heldBackSize(event: ConversationEvent): number {
  return event.kind === "message" ? Buffer.byteLength(event.message.content ?? "") + 400 : 200;
}

const historyPageSize = 500;

/** Following a conversation: `stop` ends it (and marks the user offline here). */
export interface ConversationFollow {
  stop(): void;
}

export function followConversation(sources: ConversationFeedSources, options: FollowConversationOptions): ConversationFollow {
  return new ConversationFollower(sources, options);
}

/**
 * One object per follower, its steps on the prototype: a stream follows for hours, and a handful of
 * closures (with their contexts) per follower cost more memory than its state.
 */
class ConversationFollower implements ConversationFollow {
  readonly #sources: ConversationFeedSources;
  readonly #options: FollowConversationOptions;
  #lastDelivered: number;
  #stopped = false;
  #replaying = true;
  /** Live events that came while history was replayed; made only when one does. */
  #heldBack: ConversationEvent[] | undefined;
  #heldBackBytes = 0;
  /** After a redraw each winner sees only their own round; the giver sees every round. */
  #mayRead: (revision: number) => boolean;

  constructor(sources: ConversationFeedSources, options: FollowConversationOptions) {
    this.#sources = sources;
    this.#options = options;
    const { giveawayId, userId } = options;
    this.#lastDelivered = options.after === "now" ? sources.appliedRevision(giveawayId) : options.after;
    this.#mayRead = sources.readerOf(giveawayId, userId);
    // Join first and hold live events back until history is out: the hub publishes only after the
    // read model commits, so every durable frame is in a history page, in the held-back list, or both.
    sources.hub.joinConversation(giveawayId, userId, this);
    this.#replayHistory().catch((error) => componentLogger("live").error({ giveawayId, ...errorFields(error, true) }, "conversation history failed"));
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#heldBack = undefined;
    this.#heldBackBytes = 0;
    this.#sources.hub.leaveConversation(this.#options.giveawayId, this.#options.userId, this);
  }

  /** A live event from the hub. */
  receive(event: ConversationEvent): void {
    if (this.#stopped) return;
    if (!this.#replaying) return this.#deliverInOrder(event);
    (this.#heldBack ??= []).push(event);
    this.#heldBackBytes += heldBackSize(event);
    const { client } = this.#options;
    if (client && this.#heldBackBytes + client.queuedBytes() > client.maxQueuedBytes) client.drop();
  }

  #deliverInOrder(event: ConversationEvent): void {
    const { giveawayId, userId } = this.#options;
    if (event.kind !== "presence" && event.kind !== "typing") {
      const revision = timelineRevision(event);
      if (revision <= this.#lastDelivered) return; // already sent from history
      this.#lastDelivered = revision;
      // Only a pickup event (a redraw) changes who reads which round: the rule is asked again then.
      if (event.kind === "pickup") this.#mayRead = this.#sources.readerOf(giveawayId, userId);
      // A redraw is news to both winners it concerns; everything else follows the rounds.
      const redraw = event.kind === "pickup" && event.event.type === "WinnerRedrawn" ? event.event.data : undefined;
      if (!this.#mayRead(revision) && !(redraw && (redraw.winnerId === userId || redraw.previousWinnerId === userId))) return;
    }
    this.#options.deliver(event);
  }

  async #replayHistory(): Promise<void> {
    const { giveawayId, client } = this.#options;
    for (let from = this.#lastDelivered; ; ) {
      const page = this.#sources.timelinePage(giveawayId, from, historyPageSize);
      for (const event of page.events) {
        this.#deliverInOrder(event);
        if (client) await client.drained();
        if (this.#stopped) return;
      }
      if (page.next === undefined) break;
      from = page.next;
    }
    // Whatever was committed after the last page was read is held back: flush it in order.
    this.#replaying = false;
    this.#heldBackBytes = 0;
    const heldBack = this.#heldBack ?? [];
    this.#heldBack = undefined;
    for (const event of heldBack) this.#deliverInOrder(event);
  }
}

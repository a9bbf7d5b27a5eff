// A conversation from a revision on: history from the read model, then live from the hub, no gap, no duplicate.
import { componentLogger, errorFields } from "../observability/logger.ts";
import { timelineRevision, type TimelineEvent } from "../projections/timelineProjection.ts";
import type { ConversationEvent, LiveHub } from "./liveHub.ts";

/** What following a conversation reads: narrow, so live/ needs nothing of the application (app/conversationFeedSources.ts builds it). */
export interface ConversationFeedSources {
  /** The conversation's durable frames after a revision, a page at a time. */
  timelinePage(giveawayId: string, afterRevision: number, limit: number): { events: TimelineEvent[]; next: number | undefined };
  hub: Pick<LiveHub, "joinConversation">;
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
  return event.kind === "message" ? Buffer.byteLength(event.message.content) + 400 : 200;
}

const historyPageSize = 500;

/** Returns the function that stops following (and marks the user offline here). */
export function followConversation(sources: ConversationFeedSources, options: FollowConversationOptions): () => void {
  const { giveawayId, userId, deliver } = options;
  let lastDelivered = options.after === "now" ? sources.appliedRevision(giveawayId) : options.after;
  let stopped = false;
  let replaying = true;
  const heldBack: ConversationEvent[] = [];
  let heldBackBytes = 0;

  // After a redraw each winner sees only their own round; the giver sees every round.
  let mayRead = sources.readerOf(giveawayId, userId);

  const deliverInOrder = (event: ConversationEvent) => {
    if (event.kind !== "presence" && event.kind !== "typing") {
      const revision = timelineRevision(event);
      if (revision <= lastDelivered) return; // already sent from history
      lastDelivered = revision;
      // Only a pickup event (a redraw) changes who reads which round: the rule is asked again then.
      if (event.kind === "pickup") mayRead = sources.readerOf(giveawayId, userId);
      // A redraw is news to both winners it concerns; everything else follows the rounds.
      const redraw = event.kind === "pickup" && event.event.type === "WinnerRedrawn" ? event.event.data : undefined;
      if (!mayRead(revision) && !(redraw && (redraw.winnerId === userId || redraw.previousWinnerId === userId))) return;
    }
    deliver(event);
  };

  // Join first and hold live events back until history is out: the hub publishes only after the
  // read model commits, so every durable frame is in a history page, in the held-back list, or both.
  const leave = sources.hub.joinConversation(giveawayId, userId, (event) => {
    if (stopped) return;
    if (!replaying) return deliverInOrder(event);
    heldBack.push(event);
    heldBackBytes += heldBackSize(event);
    const { client } = options;
    if (client && heldBackBytes + client.queuedBytes() > client.maxQueuedBytes) client.drop();
  });

  const replayHistory = async () => {
    for (let from = lastDelivered; ; ) {
      const page = sources.timelinePage(giveawayId, from, historyPageSize);
      for (const event of page.events) {
        deliverInOrder(event);
        if (options.client) await options.client.drained();
        if (stopped) return;
      }
      if (page.next === undefined) break;
      from = page.next;
    }
    // Whatever was committed after the last page was read is held back: flush it in order.
    replaying = false;
    heldBackBytes = 0;
    for (const event of heldBack.splice(0)) deliverInOrder(event);
  };
  replayHistory().catch((error) => componentLogger("live").error({ giveawayId: options.giveawayId, ...errorFields(error, true) }, "conversation history failed"));

  return () => {
    stopped = true;
    heldBack.length = 0;
    heldBackBytes = 0;
    leave();
  };
}

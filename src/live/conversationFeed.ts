// A conversation from a revision on: history from the read model, then live from the hub, no gap, no duplicate.
import type { Handoff } from "../app/handoff.ts";
import type { ConversationEvent } from "./liveHub.ts";

export interface FollowConversationOptions {
  giveawayId: string;
  userId: string;
  /** Exclusive: the last revision the client has (-1: from the start); "now": only new messages. */
  after: number | "now";
  deliver(event: ConversationEvent): void;
}

/** Returns the function that stops following (and marks the user offline here). */
export function followConversation(handoff: Handoff, options: FollowConversationOptions): () => void {
  const { giveawayId, userId, deliver } = options;
  let lastDelivered = options.after === "now" ? (handoff.queries.latestMessages(giveawayId, 1)[0]?.revision ?? -1) : options.after;

  // The hub publishes only after the read model commits, and the read below is synchronous, so
  // joining first means every message is either in the history read or arrives from the hub.
  const leave = handoff.hub.joinConversation(giveawayId, userId, (event) => {
    if (event.kind === "message") {
      if (event.message.revision <= lastDelivered) return;
      lastDelivered = event.message.revision;
    }
    deliver(event);
  });
  for (;;) {
    const page = handoff.queries.messagesAfter(giveawayId, lastDelivered, 1000);
    for (const message of page) {
      lastDelivered = message.revision;
      deliver({ kind: "message", giveawayId, message });
    }
    if (page.length < 1000) break;
  }
  return leave;
}

// Who may open a conversation page or stream: the one participant rule, asked of the read models.
// (Commands check again against the stream; this decides what a page or stream shows.)
import { readerAccess, type ReaderAccess } from "../../app/conversationAccessQuery.ts";
import type { Clock, Reads } from "../../app/services.ts";
import { freshly, refusedStaleably, type FreshnessSource } from "../freshReads.ts";

export type ConversationAccess = ReaderAccess;
export type ConversationAccessServices = Reads & Clock & FreshnessSource;

/** A refusal only once the read models have caught up with the log (else read_model_lagging is thrown). */
export function conversationAccess(handoff: ConversationAccessServices, 
giveawayId: string, userId: string): Promise<ConversationAccess> {
  return freshly(handoff, () => readerAccess(handoff.queries, giveawayId, userId, handoff.now()), refusedStaleably);
}

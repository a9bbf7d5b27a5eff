// Who may open a conversation page or stream: the one participant rule, asked of the read models.
// (Commands check again against the stream; this decides what a page or stream shows.)
import { readerAccess, type ReaderAccess } from "../../app/conversationAccessQuery.ts";
import type { Handoff } from "../../app/handoff.ts";
import { freshly, refusedStaleably } from "../freshReads.ts";

export type ConversationAccess = ReaderAccess;

/** A refusal only once the read models have caught up with the log (else read_model_lagging is thrown). */
export function conversationAccess(handoff: Handoff, giveawayId: string, userId: string): Promise<ConversationAccess> {
  return freshly(handoff, () => readerAccess(handoff.queries, giveawayId, userId, handoff.now()), refusedStaleably);
}

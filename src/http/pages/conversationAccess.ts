// Who may open a conversation page or stream: the one participant rule, asked of the read models.
// (Commands check again against the stream; this decides what a page or stream shows.)
import { readerAccess, type ReaderAccess } from "../../app/conversationAccessQuery.ts";
import type { Handoff } from "../../app/handoff.ts";

export type ConversationAccess = ReaderAccess;

export function conversationAccess(handoff: Handoff, giveawayId: string, userId: string): ConversationAccess {
  return readerAccess(handoff.queries, giveawayId, userId, handoff.now());
}

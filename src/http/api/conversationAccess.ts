// The participant rule for API reads and streams: the granted conversation, or the refusal thrown.
import { readerAccess, type GrantedConversation } from "../../app/conversationAccessQuery.ts";
import type { Handoff } from "../../app/handoff.ts";
import { ApiError } from "./apiErrors.ts";

/** The conversation, when `userId` may read it; else the refusal (404, 409 or 403) as an ApiError. */
export function conversationForReader(handoff: Pick<Handoff, "queries" | "now">, giveawayId: string, userId: string): GrantedConversation {
  const access = readerAccess(handoff.queries, giveawayId, userId, handoff.now());
  if (!access.ok) throw new ApiError(access.code, access.message);
  return access;
}

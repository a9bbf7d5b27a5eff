// The participant rule for API reads and streams: the granted conversation, or the refusal thrown.
import { readerAccess, type GrantedConversation } from "../../app/conversationAccessQuery.ts";
import type { Handoff } from "../../app/handoff.ts";
import { freshly, refusedStaleably } from "../freshReads.ts";
import { ApiError } from "./apiErrors.ts";

/**
 * The conversation, when `userId` may read it; else the refusal (404, 409 or 403) as an ApiError,
 * given only once the read models have caught up with the log (else 503 read_model_lagging).
 */
export async function conversationForReader(handoff: Pick<Handoff, "queries" | "now" | "freshness">, giveawayId: string, userId: string): Promise<GrantedConversation> {
  const access = await freshly(handoff, () => readerAccess(handoff.queries, giveawayId, userId, handoff.now()), refusedStaleably);
  if (!access.ok) throw new ApiError(access.code, access.message);
  return access;
}

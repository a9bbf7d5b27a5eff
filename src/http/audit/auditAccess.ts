// Who may audit a giveaway: whoever may read its conversation (the one participant rule).
import { readerAccess, type ReaderAccess } from "../../app/conversationAccessQuery.ts";
import type { Clock, Reads } from "../../app/services.ts";
import { freshly, refusedStaleably, type FreshnessSource } from "../freshReads.ts";

export type AuditAccess = ReaderAccess;
export type AuditAccessServices = Reads & Clock & FreshnessSource;

/** A refusal only once the read models have caught up with the log (else read_model_lagging is thrown). */
export function auditAccess(handoff: AuditAccessServices, 
giveawayId: string, userId: string): Promise<AuditAccess> {
  return freshly(handoff, () => readerAccess(handoff.queries, giveawayId, userId, handoff.now()), refusedStaleably);
}

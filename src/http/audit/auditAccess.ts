// Who may audit a giveaway: whoever may read its conversation (the one participant rule).
import { readerAccess, type ReaderAccess } from "../../app/conversationAccessQuery.ts";
import type { Handoff } from "../../app/handoff.ts";

export type AuditAccess = ReaderAccess;

export function auditAccess(handoff: Handoff, giveawayId: string, userId: string): AuditAccess {
  return readerAccess(handoff.queries, giveawayId, userId, handoff.now());
}

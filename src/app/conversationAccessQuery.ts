// The participant rule (domain/conversationAccess.ts) asked of the read models, for what a page,
// a stream, the API or the audit shows. Commands ask the same rule of the stream's own fold.
import { conversationAccess, type ConversationAccess } from "../domain/conversationAccess.ts";
import { mayReadRevision } from "../domain/pickupAccess.ts";
import type { Round } from "../domain/pickup.ts";
import type { GiveawayView } from "../projections/giveawaysProjection.ts";

export interface ConversationAccessQueries {
  giveawayById(giveawayId: string): GiveawayView | undefined;
  hasEntered(giveawayId: string, userId: string): boolean;
  roundsOf(giveawayId: string): Round[];
  pickupRow(giveawayId: string): { readOnlyFrom: string | null } | undefined;
}

export type GrantedConversation = Extract<ConversationAccess, { ok: true }> & {
  giveaway: GiveawayView;
  other: { id: string; username: string };
};

export type ReaderAccess = GrantedConversation | Extract<ConversationAccess, { ok: false }>;

export function readerAccess(queries: ConversationAccessQueries, giveawayId: string, userId: string, now: Date): ReaderAccess {
  const giveaway = queries.giveawayById(giveawayId);
  const access = conversationAccess(
    {
      // Past the draw (agreed, completed, cancelled after it) the conversation stands.
      status: !giveaway ? "none" : giveaway.winnerId ? "drawn" : "open",
      giverId: giveaway?.giverId,
      winnerId: giveaway?.winnerId,
      hasEntered: giveaway !== undefined && !giveaway.winnerId && queries.hasEntered(giveawayId, userId),
      rounds: giveaway?.winnerId ? queries.roundsOf(giveawayId) : undefined,
      readOnlyFrom: giveaway?.winnerId ? queries.pickupRow(giveawayId)?.readOnlyFrom : undefined,
    },
    userId,
    now,
  );
  if (!access.ok || !giveaway) return access.ok ? { ok: false, code: "giveaway_not_found", message: "no such giveaway" } : access;
  const otherName = access.role === "giver" ? giveaway.winnerName : giveaway.giverName;
  return { ...access, giveaway, other: { id: access.otherId, username: otherName ?? "?" } };
}

/** Keeps what a granted reader may see of revisioned items (messages, proposals): their own rounds only. */
export function visibleTo<T extends { revision: number }>(access: { rounds: readonly Round[] }, items: T[]): T[] {
  return items.filter((item) => mayReadRevision(access, item.revision));
}

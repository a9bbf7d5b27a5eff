// A pickup reminder that stands: once it was sent for the current plan, the giver's pages and the
// winner's say so until the window has ended. The live notice alone could be missed (a page that was
// reloading, a tab opened later), which left one of the two without a reminder.
import { readerAccess } from "../../app/conversationAccessQuery.ts";
import type { Reads } from "../../app/services.ts";
import { planOf } from "../api/pickupDetail.ts";

export interface StandingReminder {
  from: string;
  to: string;
  place: string;
}

/** For the giver and the current winner only (a winner replaced by a redraw is not reminded of the next one's pickup). */
export function standingReminder(handoff: Reads, giveawayId: string, viewerId: string, now: Date): StandingReminder | null {
  const row = handoff.queries.pickupRow(giveawayId);
  if (!row?.remindedAt || row.completedAt || row.cancelledAt) return null;
  const plan = planOf(handoff, giveawayId);
  if (!plan || Date.parse(plan.to) <= now.getTime()) return null;
  const access = readerAccess(handoff.queries, giveawayId, viewerId, now);
  if (!access.ok || access.role === "former_winner") return null;
  return { from: plan.from, to: plan.to, place: plan.place };
}

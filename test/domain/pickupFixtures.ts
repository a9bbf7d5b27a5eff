// Pickup event builders and times for the pickup specs; the test moves time by choosing `now`.
import type { GiveawayEvent } from "../../src/domain/events.ts";
import { alice, at, bob, carol, created, drawn, entered, giver } from "./fixtures.ts";

export const proposal1 = "7e57a0b0-0001-4ccc-8ddd-000000000001";
export const proposal2 = "7e57a0b0-0002-4ccc-8ddd-000000000002";
export const proposal3 = "7e57a0b0-0003-4ccc-8ddd-000000000003";

export const hour = 3600_000;
/** `hours` after the fixtures' draw instant. */
export const later = (hours: number) => new Date(Date.parse(at) + hours * hour);
export const iso = (hours: number) => later(hours).toISOString();


export const proposed = (proposalId: string, by: string, fromHours = 24, toHours = 26, place = "Main St 1", note = "ring twice", atHours = 0): GiveawayEvent => ({
  type: "PickupProposed",
  data: { proposalId, proposedBy: by, from: iso(fromHours), to: iso(toHours), place, note, proposedAt: iso(atHours) },
});
export const accepted = (proposalId: string, by: string, atHours = 0): GiveawayEvent => ({
  type: "PickupProposalAccepted",
  data: { proposalId, acceptedBy: by, acceptedAt: iso(atHours) },
});
export const declined = (proposalId: string, by: string, atHours = 0): GiveawayEvent => ({
  type: "PickupProposalDeclined",
  data: { proposalId, declinedBy: by, declinedAt: iso(atHours) },
});
export const handedOver = (atHours = 0): GiveawayEvent => ({ type: "HandoverConfirmed", data: { userId: giver, side: "handed_over", confirmedAt: iso(atHours) } });
export const received = (by: string, atHours = 0): GiveawayEvent => ({ type: "HandoverConfirmed", data: { userId: by, side: "received", confirmedAt: iso(atHours) } });
export const completed = (atHours: number, lastWordsHours: number): GiveawayEvent => ({
  type: "GiveawayCompleted",
  data: { completedAt: iso(atHours), readOnlyFrom: iso(atHours + lastWordsHours) },
});
export const prizeDeclined = (winnerId: string, atHours = 0): GiveawayEvent => ({ type: "PrizeDeclined", data: { winnerId, declinedAt: iso(atHours) } });
export const redrawn = (winnerId: string, previousWinnerId: string, reason: "no_show" | "declined", atHours: number): GiveawayEvent => ({
  type: "WinnerRedrawn",
  data: { winnerId, previousWinnerId, reason, redrawnAt: iso(atHours) },
});
export const cancelled = (atHours: number, readOnlyAfterHours: number, reason = ""): GiveawayEvent => ({
  type: "GiveawayCancelled",
  data: { cancelledBy: giver, reason, cancelledAt: iso(atHours), readOnlyFrom: iso(atHours + readOnlyAfterHours) },
});
export const reminded = (proposalId: string, atHours: number): GiveawayEvent => ({ type: "PickupReminderSent", data: { proposalId, remindedAt: iso(atHours) } });

/** Alice, bob and carol entered; alice won at the fixtures' instant (revision 4). */
export const drawnAmongThree = (): GiveawayEvent[] => [created(), entered(alice), entered(bob), entered(carol), drawn(alice)];
/** ...and the giver's proposal was accepted by alice. */
export const agreed = (): GiveawayEvent[] => [...drawnAmongThree(), proposed(proposal1, giver), accepted(proposal1, alice)];

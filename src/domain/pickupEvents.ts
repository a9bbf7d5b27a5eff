// The pickup's facts, in the giveaway's stream after the draw: proposals, the plan, the handover,
// no-shows and redraws, cancellation. Same rules as the rest of the catalogue: schemas only grow.
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();

/** Either participant proposes a time window and a place; a newer proposal supersedes open ones. */
export const PickupProposedSchema = z.object({
  proposalId: id,
  proposedBy: id,
  from: instant,
  to: instant,
  place: z.string().trim().min(1).max(200),
  note: z.string().trim().max(500).default(""),
  proposedAt: instant,
});

/** The other participant accepted: this proposal is now the plan. */
export const PickupProposalAcceptedSchema = z.object({
  proposalId: id,
  acceptedBy: id,
  acceptedAt: instant,
});

export const PickupProposalDeclinedSchema = z.object({
  proposalId: id,
  declinedBy: id,
  declinedAt: instant,
});

/** Sent once per plan, by whichever process's scheduler got there first. */
export const PickupReminderSentSchema = z.object({
  proposalId: id,
  remindedAt: instant,
});

/** One side of the handover: the giver handed the item over, or the winner received it. */
export const HandoverConfirmedSchema = z.object({
  userId: id,
  side: z.enum(["handed_over", "received"]),
  confirmedAt: instant,
});

/** Both sides confirmed. The conversation takes last words until `readOnlyFrom`. */
export const GiveawayCompletedSchema = z.object({
  completedAt: instant,
  readOnlyFrom: instant,
});

/** The winner said they will not take the prize: the giver may redraw at once. */
export const PrizeDeclinedSchema = z.object({
  winnerId: id,
  declinedAt: instant,
});

/** A new winner among the remaining entrants; the former winner keeps reading, no longer sends. */
export const WinnerRedrawnSchema = z.object({
  winnerId: id,
  previousWinnerId: id,
  // "platform" (added with the platform's API): the platform chose the new winner. A reason, not an
  // extra field, because it is why the redraw was allowed: neither a no-show nor a decline happened.
  reason: z.enum(["no_show", "declined", "platform"]),
  redrawnAt: instant,
});

/** The giver called it off. After a draw the conversation takes last words until `readOnlyFrom`. */
export const GiveawayCancelledSchema = z.object({
  cancelledBy: id,
  reason: z.string().trim().max(500).default(""),
  cancelledAt: instant,
  readOnlyFrom: instant,
});

export type PickupProposed = z.output<typeof PickupProposedSchema>;
export type PickupProposalAccepted = z.output<typeof PickupProposalAcceptedSchema>;
export type PickupProposalDeclined = z.output<typeof PickupProposalDeclinedSchema>;
export type PickupReminderSent = z.output<typeof PickupReminderSentSchema>;
export type HandoverConfirmed = z.output<typeof HandoverConfirmedSchema>;
export type GiveawayCompleted = z.output<typeof GiveawayCompletedSchema>;
export type PrizeDeclined = z.output<typeof PrizeDeclinedSchema>;
export type WinnerRedrawn = z.output<typeof WinnerRedrawnSchema>;
export type GiveawayCancelled = z.output<typeof GiveawayCancelledSchema>;

export type PickupEvent =
  | { type: "PickupProposed"; data: PickupProposed }
  | { type: "PickupProposalAccepted"; data: PickupProposalAccepted }
  | { type: "PickupProposalDeclined"; data: PickupProposalDeclined }
  | { type: "PickupReminderSent"; data: PickupReminderSent }
  | { type: "HandoverConfirmed"; data: HandoverConfirmed }
  | { type: "GiveawayCompleted"; data: GiveawayCompleted }
  | { type: "PrizeDeclined"; data: PrizeDeclined }
  | { type: "WinnerRedrawn"; data: WinnerRedrawn }
  | { type: "GiveawayCancelled"; data: GiveawayCancelled };

export type PickupEventType = PickupEvent["type"];

export const pickupEventSchemas = {
  PickupProposed: PickupProposedSchema,
  PickupProposalAccepted: PickupProposalAcceptedSchema,
  PickupProposalDeclined: PickupProposalDeclinedSchema,
  PickupReminderSent: PickupReminderSentSchema,
  HandoverConfirmed: HandoverConfirmedSchema,
  GiveawayCompleted: GiveawayCompletedSchema,
  PrizeDeclined: PrizeDeclinedSchema,
  WinnerRedrawn: WinnerRedrawnSchema,
  GiveawayCancelled: GiveawayCancelledSchema,
} as const satisfies Record<PickupEventType, z.ZodType>;

export function isPickupEventType(type: string): type is PickupEventType {
  return Object.hasOwn(pickupEventSchemas, type);
}

export function isPickupEvent(event: { type: string }): event is PickupEvent {
  return isPickupEventType(event.type);
}

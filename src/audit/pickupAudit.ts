// Pickup events as the audit replay tells them: who acted, whom they name, what they did (pure).
import { assertNever } from "../domain/errors.ts";
import type { PickupEvent } from "../domain/pickupEvents.ts";
import { someoneElse, type WithIdsShown } from "./auditRedaction.ts";

/** A pickup event as its reader is shown it: the user ids they may not see are null (auditRedaction.ts). */
export type ShownPickupEvent = WithIdsShown<PickupEvent>;

/** The person who acted, when the event itself says; else the caller falls back to the metadata's actor. */
export function pickupActor(event: PickupEvent): string | undefined {
  switch (event.type) {
    case "PickupProposed":
      return event.data.proposedBy;
    case "PickupProposalAccepted":
      return event.data.acceptedBy;
    case "PickupProposalDeclined":
      return event.data.declinedBy;
    case "HandoverConfirmed":
      return event.data.userId;
    case "PrizeDeclined":
      return event.data.winnerId;
    case "GiveawayCancelled":
      return event.data.cancelledBy;
    case "PickupReminderSent":
    case "GiveawayCompleted":
    case "WinnerRedrawn":
      return undefined;
    default:
      return assertNever(event);
  }
}

/** Users the line names besides its actor. */
export function pickupUserIds(event: ShownPickupEvent): string[] {
  if (event.type !== "WinnerRedrawn") return [];
  return [event.data.winnerId, event.data.previousWinnerId].filter((id) => id !== null);
}

export function describePickup(event: ShownPickupEvent, nameOfUser: (userId: string) => string): string {
  const nameOf = (userId: string | null) => (userId === null ? someoneElse : nameOfUser(userId));
  switch (event.type) {
    case "PickupProposed": {
      const { from, to, place, note } = event.data;
      return `proposed a pickup ${from} – ${to} at “${place}”${note ? ` (${note})` : ""}`;
    }
    case "PickupProposalAccepted":
      return "accepted the pickup proposal: the plan is agreed";
    case "PickupProposalDeclined":
      return "declined the pickup proposal";
    case "PickupReminderSent":
      return "pickup reminder sent to both";
    case "HandoverConfirmed":
      return event.data.side === "handed_over" ? "confirmed: handed over" : "confirmed: received";
    case "GiveawayCompleted":
      return `completed; the conversation takes messages until ${event.data.readOnlyFrom}`;
    case "PrizeDeclined":
      return "declined the prize";
    case "WinnerRedrawn": {
      const { winnerId, previousWinnerId, reason } = event.data;
      const why = reason === "declined" ? "declined" : reason === "platform" ? "was replaced by the platform's decision" : "did not answer in time";
      return `redrew the winner: ${nameOf(winnerId)} (${nameOf(previousWinnerId)} ${why}; they keep reading their conversation, ${nameOf(winnerId)} sees only theirs)`;
    }
    case "GiveawayCancelled":
      return `cancelled the giveaway${event.data.reason ? `: ${event.data.reason}` : ""}`;
    default:
      return assertNever(event);
  }
}

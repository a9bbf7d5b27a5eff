// Which pickup events a person is told about outside the chat (the notices area, and a desktop
// notification from pickup.js), in words.
import type { UserNotification } from "../../live/liveHub.ts";

export interface PickupNotice {
  kind: string;
  text: string;
  /** pickup.js shows these as desktop notifications too. */
  desktop: boolean;
}

export function pickupNotice(notification: Extract<UserNotification, { kind: "pickup" }>, userId: string): PickupNotice | undefined {
  const { event } = notification;
  switch (event.type) {
    case "PickupReminderSent":
      return { kind: "reminder", text: "Reminder: your pickup is coming up soon.", desktop: true };
    case "GiveawayCancelled":
      return event.data.cancelledBy === userId ? undefined : { kind: "cancelled", text: "The giver cancelled this giveaway.", desktop: true };
    case "WinnerRedrawn":
      if (event.data.winnerId === userId) return { kind: "won", text: "You won in a redraw! Open the chat to arrange the pickup.", desktop: true };
      if (event.data.previousWinnerId === userId) return { kind: "redrawn", text: "The giver drew another winner. You can still read your conversation.", desktop: false };
      return undefined;
    case "PickupProposed":
      return event.data.proposedBy === userId ? undefined : { kind: "proposed", text: "A new pickup time was proposed.", desktop: false };
    case "PickupProposalAccepted":
      return event.data.acceptedBy === userId ? undefined : { kind: "agreed", text: "The pickup is agreed.", desktop: false };
    default:
      return undefined;
  }
}

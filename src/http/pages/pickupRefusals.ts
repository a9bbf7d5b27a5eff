// The pickup's refusals as a person reads them on a page.
import { assertNever } from "../../domain/errors.ts";
import type { PickupErrorCode } from "../../domain/pickupErrors.ts";
import { statusOf } from "../errorAnswers.ts";

export function pickupRefusal(code: PickupErrorCode): { status: number; title: string; message: string } {
  const refusal = (title: string, message: string) => ({ status: statusOf(code), title, message });
  switch (code) {
    case "wrong_participant":
      return refusal("That is for the other person", "Only the other person can answer this.");
    case "proposal_not_found":
      return refusal("No such proposal", "That pickup proposal does not exist.");
    case "proposal_not_open":
      return refusal("Already answered", "That proposal was already answered or replaced by a newer one.");
    case "proposal_id_conflict":
      return refusal("Sent already", "A different proposal was already sent with this form. Please fill it in again.");
    case "proposal_expired":
      return refusal("Too late", "That time has passed. Suggest another time.");
    case "invalid_pickup":
      return refusal("Please check the pickup", "The time window or the place was not valid.");
    case "pickup_not_agreed":
      return refusal("No plan yet", "Agree on a pickup time and place first.");
    case "giveaway_completed":
      return refusal("Already handed over", "This giveaway has been handed over.");
    case "giveaway_cancelled":
      return refusal("Cancelled", "This giveaway was cancelled.");
    case "prize_declined":
      return refusal("Prize declined", "The winner has declined the prize.");
    case "redraw_not_allowed":
      return refusal("Not yet", "A redraw is possible once the winner declines or has not answered in time.");
    case "no_entrants_left":
      return refusal("Nobody left", "Every entrant has already been drawn.");
    case "handover_started":
      return refusal("Handover under way", "The handover has already been confirmed.");
    case "conversation_read_only":
      return refusal("Conversation closed", "This conversation can still be read, but no longer takes messages.");
    default:
      return assertNever(code);
  }
}

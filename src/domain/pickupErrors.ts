// The pickup's refusals, kept apart from the core codes so both lists grow without clashing.
import { errorCodeGuard } from "./errorCodes.ts";

export const pickupErrorCodes = [
  /** A participant acting for the other side (accepting their own proposal, the giver declining the prize). */
  "wrong_participant",
  "proposal_not_found",
  /** Already accepted, declined or superseded by a newer one. */
  "proposal_not_open",
  "proposal_id_conflict",
  /** Its window has already ended. */
  "proposal_expired",
  "invalid_pickup",
  "pickup_not_agreed",
  "giveaway_completed",
  "giveaway_cancelled",
  "prize_declined",
  /** The winner has neither declined nor stayed silent past the no-show time. */
  "redraw_not_allowed",
  "no_entrants_left",
  "handover_started",
  /** Completed or cancelled, and the time for last words has passed. */
  "conversation_read_only",
] as const;

export type PickupErrorCode = (typeof pickupErrorCodes)[number];

export const isPickupErrorCode = errorCodeGuard(pickupErrorCodes);

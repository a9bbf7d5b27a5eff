// HTTP statuses of the pickup's refusals: 403 the wrong participant, 404 unknown, 409 the state forbids it, 422 bad input.
import { assertNever } from "../../domain/errors.ts";
import type { PickupErrorCode } from "../../domain/pickupErrors.ts";

export function pickupErrorStatus(code: PickupErrorCode): number {
  switch (code) {
    case "wrong_participant":
      return 403;
    case "proposal_not_found":
      return 404;
    case "proposal_not_open":
    case "proposal_id_conflict":
    case "proposal_expired":
    case "pickup_not_agreed":
    case "giveaway_completed":
    case "giveaway_cancelled":
    case "prize_declined":
    case "redraw_not_allowed":
    case "no_entrants_left":
    case "handover_started":
    case "conversation_read_only":
      return 409;
    case "invalid_pickup":
      return 422;
    default:
      return assertNever(code);
  }
}

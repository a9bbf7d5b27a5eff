// The refusals of the platform's own commands (platformGiveaway.ts), kept apart like the pickup's.
import { errorCodeGuard } from "./errorCodes.ts";

export const platformErrorCodes = [
  /** The giver cannot change while anyone is entered, nor after the draw. */
  "giver_fixed",
  /** Entrants cannot be withdrawn (or added) once the winner is drawn. */
  "entries_closed",
  /** The chosen winner is not an entrant of this giveaway. */
  "winner_not_entrant",
  /** The chosen winner already won this giveaway once and was replaced. */
  "winner_replaced",
] as const;

export type PlatformErrorCode = (typeof platformErrorCodes)[number];

export const isPlatformErrorCode = errorCodeGuard(platformErrorCodes);

// HTTP statuses of the platform API's refusals: its domain codes (platformErrors.ts) and the ones its
// edge makes (service keys, idempotency keys).
import { assertNever } from "../../domain/errors.ts";
import { isPlatformErrorCode, type PlatformErrorCode } from "../../domain/platformErrors.ts";

export const platformEdgeErrorCodes = [
  /** A user's token where only a service key is accepted. */
  "service_key_required",
  /** A service key that is malformed, unknown or revoked. */
  "invalid_service_key",
  /** A changing call without a usable Idempotency-Key header. */
  "idempotency_key_required",
  /** The same Idempotency-Key with another method, path or body. */
  "idempotency_key_conflict",
] as const;

export type PlatformEdgeErrorCode = (typeof platformEdgeErrorCodes)[number];

const edgeCodes: ReadonlySet<string> = new Set(platformEdgeErrorCodes);

export function isPlatformApiErrorCode(code: string): code is PlatformErrorCode | PlatformEdgeErrorCode {
  return isPlatformErrorCode(code) || edgeCodes.has(code);
}

export function platformErrorStatus(code: PlatformErrorCode | PlatformEdgeErrorCode): number {
  switch (code) {
    case "idempotency_key_required":
      return 400;
    case "invalid_service_key":
      return 401;
    case "service_key_required":
      return 403;
    case "giver_fixed":
    case "entries_closed":
    case "winner_not_entrant":
    case "winner_replaced":
    case "idempotency_key_conflict":
      return 409;
    default:
      return assertNever(code);
  }
}

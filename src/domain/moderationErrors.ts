// The refusals of moderation (moderation*.ts), kept apart like the pickup's and the reports'.
import { errorCodeGuard } from "./errorCodes.ts";

export const moderationErrorCodes = [
  /** Only a moderator (granted by the operator, or a platform token's "moderator" role) moderates. */
  "not_moderator",
  /** The user is suspended by a moderator: they cannot sign in, send or enter. */
  "suspended",
  /** The platform named a suspended user as an entrant or a winner: its decision cannot stand for them. */
  "user_suspended",
  "report_not_found",
  /** The user a moderator or the operator named does not exist. */
  "user_not_found",
  /** The report was already dismissed. */
  "report_not_open",
  /** Lifting a suspension that does not hold. */
  "not_suspended",
  /** The action lacks what it acts on, or its reason or end time is not acceptable. */
  "invalid_moderation",
] as const;

export type ModerationErrorCode = (typeof moderationErrorCodes)[number];

export const isModerationErrorCode = errorCodeGuard(moderationErrorCodes);

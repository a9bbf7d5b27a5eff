// Refusals are values, not exceptions: a refused command is an expected outcome the caller shows the user.
import type { PickupErrorCode } from "./pickupErrors.ts";
import type { PlatformErrorCode } from "./platformErrors.ts";
import type { BlockErrorCode } from "./blocksErrors.ts";
import type { ReportErrorCode } from "./reportsErrors.ts";
import type { RatingErrorCode } from "./ratingsErrors.ts";
import type { ModerationErrorCode } from "./moderationErrors.ts";

export type DomainErrorCode =
  | "not_participant"
  | "not_giver"
  | "giver_cannot_enter"
  | "conversation_closed"
  | "already_drawn"
  | "no_entrants"
  | "giveaway_not_found"
  | "giveaway_exists"
  | "message_id_conflict"
  | "invalid_content"
  | "invalid_username"
  | "invalid_password"
  | "invalid_title"
  | "invalid_description"
  | "invalid_revision"
  // the conversation's later facts (conversationDecide.ts)
  | "message_not_found"
  | "not_sender"
  | "message_retracted"
  | "edit_window_closed"
  | "invalid_emoji"
  | "invalid_reply_to"
  | "invalid_attachment"
  | PickupErrorCode
  | PlatformErrorCode
  | BlockErrorCode
  | ReportErrorCode
  | RatingErrorCode
  | ModerationErrorCode;

export interface DomainError {
  readonly code: DomainErrorCode;
  readonly message: string;
}

export function refuse(code: DomainErrorCode, message: string): DomainError {
  return { code, message };
}

/** Ends every switch over a union, so adding a member without handling it fails to compile. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

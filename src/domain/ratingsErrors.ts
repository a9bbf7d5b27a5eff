// The refusals of rating a handover (ratings.ts).
import { errorCodeGuard } from "./errorCodes.ts";

export const ratingErrorCodes = [
  /** The giveaway is not completed yet: nothing to rate. */
  "not_completed",
  /** More than seven days have passed since the giveaway was completed. */
  "rating_closed",
  /** The giver and the winner are the same person. */
  "cannot_rate_self",
  /** Stars must be a whole number from 1 to 5. */
  "invalid_stars",
  /** The comment is too long. */
  "invalid_comment",
] as const;

export type RatingErrorCode = (typeof ratingErrorCodes)[number];

export const isRatingErrorCode = errorCodeGuard(ratingErrorCodes);

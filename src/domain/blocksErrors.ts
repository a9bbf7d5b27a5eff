// The refusals blocks bring about (blocks.ts, and the giveaway deciders that are told of a block).
import { errorCodeGuard } from "./errorCodes.ts";

export const blockErrorCodes = [
  /** The sender (or entrant) is blocked by the other person (or the giver). */
  "blocked",
  /** Nobody can block themselves. */
  "cannot_block_self",
  /** The platform named an entrant whom the giver has blocked. */
  "user_blocked",
] as const;

export type BlockErrorCode = (typeof blockErrorCodes)[number];

export const isBlockErrorCode = errorCodeGuard(blockErrorCodes);

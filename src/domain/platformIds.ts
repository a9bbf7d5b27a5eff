// The platform's ids and ours. The platform names its users (a token's `sub`) and its giveaways in
// its own words; handoff's ids stay lower-case UUIDs, derived from those words (UUID v5), so the
// same platform id always names the same handoff user or giveaway, on every process, without a lookup.
import { v5 as uuidV5 } from "uuid";
import { z } from "zod";

/** Fixed forever: changing it would give every platform user and giveaway a new handoff id. */
const platformNamespace = "6f1c2b8e-3d4a-5e6f-8a9b-0c1d2e3f4a5b";

/** The platform's own ids in paths and bodies: its giveaways and its users. */
export const PlatformIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, '_' or '-'");

/** A platform user's `sub` claim: any non-empty string up to 255 characters. */
export const PlatformSubjectSchema = z.string().min(1).max(255);

/** The handoff user id of the platform user `sub`. */
export function platformUserId(sub: string): string {
  return uuidV5(`user:${sub}`, platformNamespace);
}

/** The handoff giveaway id of the platform's giveaway `platformId`. */
export function platformGiveawayId(platformId: string): string {
  return uuidV5(`giveaway:${platformId}`, platformNamespace);
}

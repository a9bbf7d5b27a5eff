// Who moderates, and who is suspended: folds of a user's stream and the rules on them (pure).
import { refuse, type DomainError } from "./errors.ts";
import type { UserEvent } from "./events.ts";

/** The platform's role that makes a platform user a moderator (a token's `roles` claim). */
export const moderatorRole = "moderator";

/**
 * The one moderator rule: granted by the operator (and not revoked since), or a moderator by the
 * platform's latest recorded roles. Revoking a grant does not take away the platform's role.
 */
export function isModerator(who: { granted: boolean; platformRoles: readonly string[] }): boolean {
  return who.granted || who.platformRoles.includes(moderatorRole);
}

/** Whether the operator's grant stands: the newer of ModeratorGranted and ModeratorRevoked. */
export function foldModeratorGrant(events: Iterable<UserEvent>): boolean {
  let granted = false;
  for (const event of events) {
    if (event.type === "ModeratorGranted") granted = true;
    else if (event.type === "ModeratorRevoked") granted = false;
  }
  return granted;
}

/** The newest suspension not lifted since: `until` null is for good. */
export interface Suspension {
  readonly suspendedAt: string;
  readonly until: string | null;
}

export function foldSuspension(events: Iterable<UserEvent>): Suspension | undefined {
  let suspension: Suspension | undefined;
  for (const event of events) {
    if (event.type === "UserSuspended") suspension = { suspendedAt: event.data.suspendedAt, until: event.data.until ?? null };
    else if (event.type === "UserUnsuspended") suspension = undefined;
  }
  return suspension;
}

/** A suspension holds until its `until` (exclusive): it expires by itself, no event needed. */
export function suspensionHolds(suspension: Suspension | undefined, now: Date): boolean {
  if (!suspension) return false;
  return suspension.until === null || Date.parse(suspension.until) > now.getTime();
}

/** The check for anything a user does (sign in, send, enter): null when they may. */
export function checkNotSuspended(suspension: Suspension | undefined, now: Date): DomainError | null {
  if (!suspensionHolds(suspension, now)) return null;
  const until = suspension!.until;
  return refuse("suspended", until === null ? "this account is suspended by a moderator" : `this account is suspended by a moderator until ${until}`);
}

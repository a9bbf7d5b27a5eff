// A moderator's actions on a user, and the operator's grants: decided on the user's stream (pure).
import { decided, refused, type Decision } from "./decision.ts";
import type { UserEvent } from "./events.ts";
import { moderationReasonMaxLength } from "./moderationEvents.ts";
import { foldModeratorGrant, foldSuspension, suspensionHolds } from "./moderators.ts";

/** The one acting: their id, and whether the moderator rule (moderators.ts) holds for them. */
export interface ModeratorActor {
  readonly id: string;
  readonly isModerator: boolean;
}

export interface SuspendUser {
  readonly type: "SuspendUser";
  readonly by: ModeratorActor;
  readonly userId: string;
  readonly reason: string;
  /** Absent: for good. */
  readonly until?: Date | undefined;
  readonly now: Date;
}

export interface UnsuspendUser {
  readonly type: "UnsuspendUser";
  readonly by: ModeratorActor;
  readonly userId: string;
  readonly reason: string;
  readonly now: Date;
}

export type UserModerationCommand = SuspendUser | UnsuspendUser;

/** A reason is required and short: null when it is acceptable. */
export function moderationReasonProblem(reason: string): string | null {
  const trimmed = reason.trim();
  return trimmed.length >= 1 && trimmed.length <= moderationReasonMaxLength ? null : `a reason is 1 to ${moderationReasonMaxLength} characters`;
}

/** `history`: the user's stream (empty: no such user, refused by the caller before). */
export function decideUserModeration(command: UserModerationCommand, history: readonly UserEvent[]): Decision<UserEvent> {
  const { by, userId, now } = command;
  if (!by.isModerator) return refused("not_moderator", "only a moderator can do this");
  const problem = moderationReasonProblem(command.reason);
  if (problem) return refused("invalid_moderation", problem);
  const reason = command.reason.trim();
  const at = now.toISOString();
  const suspension = foldSuspension(history);
  if (command.type === "UnsuspendUser") {
    if (!suspensionHolds(suspension, now)) return refused("not_suspended", "this user is not suspended");
    return decided([{ type: "UserUnsuspended", data: { userId, moderatorId: by.id, reason, unsuspendedAt: at } }]);
  }
  if (userId === by.id) return refused("invalid_moderation", "a moderator cannot suspend themselves");
  if (command.until && command.until.getTime() <= now.getTime()) return refused("invalid_moderation", "until must be in the future");
  const until = command.until?.toISOString();
  return decided([
    { type: "UserSuspended", data: { userId, moderatorId: by.id, reason, ...(until !== undefined && { until }), suspendedAt: at } },
    // Every session ends at once, on every process, through the same event as "sign out everywhere".
    { type: "AllSessionsEnded", data: { userId, endedAt: at } },
  ]);
}

/** The operator's grant or revocation: nothing when it already stands. */
export function decideModeratorGrant(granted: boolean, userId: string, history: readonly UserEvent[], now: Date): UserEvent[] {
  if (foldModeratorGrant(history) === granted) return [];
  const at = now.toISOString();
  return [granted ? { type: "ModeratorGranted", data: { userId, grantedAt: at } } : { type: "ModeratorRevoked", data: { userId, revokedAt: at } }];
}

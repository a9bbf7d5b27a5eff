// Who a user has blocked, folded from their own stream, and the decision to block or unblock.
// Pure: time comes with the command. Whether the blocked user exists is the caller's to check.
import { decided, refused, type Decision } from "./decision.ts";
import type { UserEvent } from "./events.ts";

export interface ChangeBlock {
  readonly type: "ChangeBlock";
  readonly userId: string;
  readonly blockedUserId: string;
  /** true: block; false: lift the block. */
  readonly blocked: boolean;
  readonly now: Date;
}

/** The users `userId` has blocked (their stream's blocks, in order). */
export function foldBlocks(events: Iterable<UserEvent>): ReadonlySet<string> {
  const blocked = new Set<string>();
  for (const event of events) {
    if (event.type === "UserBlocked") blocked.add(event.data.blockedUserId);
    else if (event.type === "UserUnblocked") blocked.delete(event.data.blockedUserId);
  }
  return blocked;
}

/** Idempotent both ways: blocking someone blocked, or unblocking someone who is not, changes nothing. */
export function decideBlock(command: ChangeBlock, blocked: ReadonlySet<string>): Decision<UserEvent> {
  const { userId, blockedUserId, now } = command;
  if (userId === blockedUserId) return refused("cannot_block_self", "you cannot block yourself");
  if (blocked.has(blockedUserId) === command.blocked) return decided([]);
  return decided([
    command.blocked
      ? { type: "UserBlocked", data: { userId, blockedUserId, blockedAt: now.toISOString() } }
      : { type: "UserUnblocked", data: { userId, blockedUserId, unblockedAt: now.toISOString() } },
  ]);
}

/** The one block rule the giveaway deciders ask: `blockers` are the users who blocked the actor. */
export function isBlockedBy(blockers: readonly string[] | undefined, userId: string | null | undefined): boolean {
  return userId !== null && userId !== undefined && (blockers ?? []).includes(userId);
}

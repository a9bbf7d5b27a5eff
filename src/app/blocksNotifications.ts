// The blocker hears nothing from whom they blocked: a message of theirs (one that was on its way
// when the block was made; the decider refuses every later one) is no notification.
import type { UserNotification } from "../live/liveHub.ts";

export function isFromBlockedUser(hasBlocked: (blockerId: string, blockedId: string) => boolean, listenerId: string, notification: UserNotification): boolean {
  if (notification.kind !== "message") return false;
  const senderId = notification.message.senderId;
  return senderId !== null && senderId !== listenerId && hasBlocked(listenerId, senderId);
}

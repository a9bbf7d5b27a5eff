// A user's notifications as HTML stream frames: out-of-band swaps htmx applies wherever the
// targets exist (the nav badge, an inbox row's count, the notices area).
import type { Reads } from "../../app/services.ts";
import { isFromBlockedUser } from "../../app/blocksNotifications.ts";
import { assertNever } from "../../domain/errors.ts";
import type { UserNotification } from "../../live/liveHub.ts";
import { inboxPreviewLength } from "../../projections/inboxProjection.ts";
import type { SseFrame } from "../sse/sseStream.ts";
import { unreadBadgeCount, type PageRenderer } from "./pageRenderer.ts";
import { pickupNotice } from "./pickupNotices.ts";

export interface NotificationFrames {
  /** The badge as it is now: a (re)connected page may have missed changes. */
  current(): SseFrame;
  /** The frame for a notification, or undefined when it changes nothing on this page. */
  frameFor(notification: UserNotification): SseFrame | undefined;
}

/** `except`: the conversation on screen, whose unread messages the badge leaves out. */
export function notificationFrames(handoff: Reads, 
renderer: PageRenderer, userId: string, except?: string): NotificationFrames {
  const badge = () => renderer.partial("./partials/unreadBadge", { count: unreadBadgeCount(handoff, userId, except), oob: true });
  return {
    current: () => ({ data: badge() }),
    frameFor(notification) {
      if (isFromBlockedUser(handoff.queries.hasBlocked, userId, notification)) return undefined;
      switch (notification.kind) {
        case "message": {
          // The inbox row's last line (the chat page, which passes `except`, has no inbox); the
          // "unread" notification that follows carries the counts.
          if (except !== undefined) return undefined;
          const { giveawayId, message } = notification;
          const preview = (message.content ?? "").slice(0, inboxPreviewLength);
          const mine = message.senderId === userId;
          return { data: renderer.partial("./partials/inboxLast", { giveawayId, preview, mine, at: message.sentAt, oob: true }) };
        }
        case "unread": {
          if (notification.giveawayId === except) return undefined;
          const row = renderer.partial("./partials/inboxCount", { giveawayId: notification.giveawayId, count: notification.unreadCount, oob: true });
          return { data: badge() + row };
        }
        case "entered":
          // A named event: the giveaway page (page.js) fetches itself again.
          return { event: "giveaway-changed", data: notification.giveawayId };
        case "muted":
          return undefined; // the page asks the inbox when it decides to notify
        case "draw_won":
          return { data: renderer.partial("./partials/drawWonNotice", { giveawayId: notification.giveawayId, title: notification.title }) };
        case "pickup": {
          const notice = pickupNotice(notification, userId);
          if (!notice) return undefined;
          return { data: renderer.partial("./partials/pickupNotice", { giveawayId: notification.giveawayId, title: notification.title, ...notice }) };
        }
        default:
          return assertNever(notification);
      }
    },
  };
}

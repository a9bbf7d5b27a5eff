// GET /me/stream: the signed-in user's notifications for every page but the chat (which carries
// them on its own stream): the unread badge, inbox counts, and a notice for a draw they won.
import type { LiveServices, Reads } from "../../app/services.ts";
import { openSessionStream, type SessionStreamServices } from "../sse/sessionStream.ts";
import type { SignedInStreamHandler } from "../sse/streamRoutes.ts";
import { notificationFrames } from "./notificationFrames.ts";
import type { PageRenderer } from "./pageRenderer.ts";

export function userStream(handoff: SessionStreamServices & Reads & LiveServices, 
renderer: PageRenderer): SignedInStreamHandler {
  return (req, res, params, identity) => {
    const stream = openSessionStream(handoff, req, res, identity, "page_notifications", params.requestId);
    const notifications = notificationFrames(handoff, renderer, identity.userId);
    // Listen first, then send the current badge: a change in between arrives after it, never lost.
    const stop = handoff.hub.listenToUser(identity.userId, (notification) => {
      const frame = notifications.frameFor(notification);
      if (frame) stream.send(frame);
    });
    stream.send(notifications.current());
    stream.onClose(stop);
  };
}

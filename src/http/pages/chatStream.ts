// The chat's HTML stream: each message as the viewer sees it (own right, others left), framed
// with `id: <revision>` so a reconnect resumes by Last-Event-ID; the other person's presence;
// and the user's badge, so a chat tab needs one connection.
import type { IncomingMessage } from "node:http";
import type { Handoff } from "../../app/handoff.ts";
import { followConversation } from "../../live/conversationFeed.ts";
import { openSseStream } from "../sse/sseStream.ts";
import { queryValue, type SignedInStreamHandler } from "../sse/streamRoutes.ts";
import { conversationAccess } from "./conversationAccess.ts";
import { notificationFrames } from "./notificationFrames.ts";
import { sendText } from "./pageAccess.ts";
import { isId } from "./pageIds.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { pageRefusal } from "./pageRefusals.ts";

/** Exclusive resume point: Last-Event-ID (a reconnect) over ?after (the page's last revision); else only new messages. */
export function resumePoint(req: IncomingMessage, query: URLSearchParams): number | "now" {
  for (const candidate of [req.headers["last-event-id"], queryValue(query, "after")]) {
    if (typeof candidate !== "string" || !/^-?\d{1,15}$/.test(candidate.trim())) continue;
    const revision = Number(candidate.trim());
    if (revision >= -1) return revision;
  }
  return "now";
}

export function chatStream(handoff: Handoff, renderer: PageRenderer): SignedInStreamHandler {
  return (req, res, params, identity) => {
    const giveawayId = params.path.giveawayId;
    if (!isId(giveawayId)) return sendText(res, 404, "no such conversation");
    const access = conversationAccess(handoff, giveawayId, identity.userId);
    if (!access.ok) {
      const refusal = pageRefusal(access.code);
      return sendText(res, refusal.status, refusal.message);
    }
    const viewerId = identity.userId;
    const otherId = access.other.id;
    const presence = (online: boolean) => ({
      data: renderer.partial("./partials/presence", { username: access.other.username, online, oob: true }),
    });

    const stream = openSseStream(req, res, {
      heartbeatMs: handoff.config.sseHeartbeatMs,
      maxQueuedBytes: handoff.config.sseMaxQueuedBytes,
      endsAt: identity.expiresAt,
    });
    const notifications = notificationFrames(handoff, renderer, viewerId, giveawayId);
    stream.send(notifications.current());
    const stopNotifications = handoff.hub.listenToUser(viewerId, (notification) => {
      const frame = notifications.frameFor(notification);
      if (frame) stream.send(frame);
    });
    const stopFollowing = followConversation(handoff, {
      giveawayId,
      userId: viewerId,
      after: resumePoint(req, params.query),
      waitForRoom: () => stream.drained(),
      deliver(event) {
        if (event.kind === "message") {
          stream.send({ id: event.message.revision, data: renderer.partial("./partials/message", { message: event.message, viewerId }) });
        } else if (event.userId === otherId) {
          stream.send(presence(event.online));
        }
      },
    });
    // Joined now, so the answer is current; changes arrive as presence events.
    stream.send(presence(handoff.hub.isOnline(giveawayId, otherId)));
    stream.onClose(() => {
      stopFollowing();
      stopNotifications();
    });
  };
}

// The chat's HTML stream: each message as the viewer sees it (own right, others left), framed
// with `id: <revision>` so a reconnect resumes by Last-Event-ID; the other person's presence;
// and the user's badge, so a chat tab needs one connection.
import { conversationFeedSources, type FeedSourceServices } from "../../app/conversationFeedSources.ts";
import { followConversation } from "../../live/conversationFeed.ts";
import { openSessionStream, type SessionStreamServices } from "../sse/sessionStream.ts";
import { clientGone } from "../sse/sseStream.ts";
import { statusOf } from "../errorAnswers.ts";
import { resumePointOf } from "../resumePoint.ts";
import type { SignedInStreamHandler } from "../sse/streamRoutes.ts";
import { conversationAccess, type ConversationAccessServices } from "./conversationAccess.ts";
import { notificationFrames } from "./notificationFrames.ts";
import { sendText } from "./pageAccess.ts";
import { isId } from "../../domain/ids.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { pageRefusal } from "./pageRefusals.ts";
import { pickupFrame, type PickupFrameServices } from "./pickupFrames.ts";
import { messageCard, type MessageCardServices } from "./messageCard.ts";
import { composerClosedOf } from "./pickupView.ts";
import { readerAccess } from "../../app/conversationAccessQuery.ts";
import { assertNever } from "../../domain/errors.ts";
import type { MessageView } from "../../projections/conversationProjection.ts";

export type ChatStreamServices = ConversationAccessServices & SessionStreamServices & FeedSourceServices & MessageCardServices & PickupFrameServices;

export function chatStream(handoff: ChatStreamServices, 
renderer: PageRenderer): SignedInStreamHandler {
  return async (req, res, params, identity) => {
    const giveawayId = params.path.giveawayId;
    if (!isId(giveawayId)) return sendText(res, statusOf("not_found"), "no such conversation");
    const access = await conversationAccess(handoff, giveawayId, identity.userId);
    if (!access.ok) {
      const refusal = pageRefusal(access.code);
      return sendText(res, refusal.status, refusal.message);
    }
    const point = await resumePointOf(handoff, giveawayId, req, params.query);
    // Refused before the first byte: chat.js reloads the page (which starts from the newest message).
    if (!point.ok) return sendText(res, statusOf(point.code), point.message);
    if (clientGone(req, res)) return; // gone while we waited
    const viewerId = identity.userId;
    const otherId = access.other.id;
    const presence = (online: boolean, lastSeenAt: string | null) => ({
      data: renderer.partial("./partials/presence", { username: access.other.username, online, lastSeenAt, oob: true }),
    });
    // Reply, react and edit only where the reader may still write; a redraw or a cancel can change that.
    let writable = composerClosedOf(access, access.giveaway.status) === null;
    const message = (id: number, shown: MessageView, oob: boolean) => ({
      id,
      data: renderer.partial("./partials/message", { card: messageCard(handoff, shown, viewerId, writable), oob }),
    });

    const stream = openSessionStream(handoff, req, res, identity, "page_chat", params.requestId);
    const notifications = notificationFrames(handoff, renderer, viewerId, giveawayId);
    stream.send(notifications.current());
    const stopNotifications = handoff.hub.listenToUser(viewerId, (notification) => {
      const frame = notifications.frameFor(notification);
      if (frame) stream.send(frame);
    });
    const following = followConversation(conversationFeedSources(handoff), {
      giveawayId,
      userId: viewerId,
      after: point.after,
      client: stream,
      deliver(event) {
        switch (event.kind) {
          case "message":
            return stream.send(message(event.message.revision, event.message, false));
          case "message-edited":
          case "message-retracted":
          case "message-hidden":
            // Swapped where it is (hx-swap-oob): a message not on the page is left alone.
            return stream.send(message(event.revision, event.message, true));
          case "reaction": {
            const shown = handoff.queries.messageById(giveawayId, event.messageId);
            return shown && stream.send(message(event.revision, shown, true));
          }
          case "read":
            // The other's read mark, for the "Seen" under the reader's last message (chat.js places it).
            if (event.userId !== otherId) return;
            return stream.send({ id: event.revision, data: renderer.partial("./partials/readMark", { upToRevision: event.upToRevision, at: event.readAt }) });
          case "typing":
            if (event.userId !== otherId) return;
            return stream.send({ data: renderer.partial("./partials/typing", { username: event.username, until: event.until }) });
          case "pickup": {
            const reader = readerAccess(handoff.queries, giveawayId, viewerId, handoff.now());
            writable = reader.ok && composerClosedOf(reader, reader.giveaway.status) === null;
            const frame = pickupFrame(handoff, renderer, giveawayId, viewerId, event.revision, event.event.type === "PickupProposed" ? event.event.data.proposalId : undefined);
            return frame && stream.send(frame);
          }
          case "presence":
            return event.userId === otherId ? stream.send(presence(event.online, event.lastSeenAt)) : undefined;
          default:
            return assertNever(event);
        }
      },
    });
    // Joined now, so the answer is current; changes arrive as presence events.
    const now = handoff.hub.presenceOf(giveawayId, otherId);
    stream.send(presence(now.online, now.lastSeenAt));
    stream.onClose(() => {
      following.stop();
      stopNotifications();
    });
  };
}

// Server-Sent Events for curl and pages: one conversation's messages and presence, and a user's notifications.
// Every connection listens to the process-wide hub; none subscribes to the store.
import { assertNever } from "../../domain/errors.ts";
import { conversationFeedSources, type FeedSourceServices } from "../../app/conversationFeedSources.ts";
import { isFromBlockedUser } from "../../app/blocksNotifications.ts";
import { followConversation, type FollowConversationOptions } from "../../live/conversationFeed.ts";
import type { ConversationEvent, UserNotification } from "../../live/liveHub.ts";
import type { EdgeContext } from "../authentication.ts";
import { openSessionStream, type SessionStreamServices } from "../sse/sessionStream.ts";
import { clientGone, type SseFrame, type SseStream } from "../sse/sseStream.ts";
import { queryValue, type SignedInStreamHandler, type StreamRoute } from "../sse/streamRoutes.ts";
import { resumePointOf } from "../resumePoint.ts";
import { answerApiFailure, ApiError } from "./apiErrors.ts";
import { conversationForReader } from "./conversationAccess.ts";
import { awaitMinRevision, type ReadModelState } from "./giveawayCommands.ts";
import { giveawayIdParam } from "./requestInput.ts";
import { apiIdentity } from "./requestContext.ts";
import { messageForReader } from "../../app/scamWarnings.ts";
import type { ScamPattern } from "../../domain/scamPatterns.ts";

export function conversationFrame(event: ConversationEvent): SseFrame {
  switch (event.kind) {
    case "message":
      return { id: event.message.revision, event: "message", data: JSON.stringify(event.message) };
    case "message-edited":
    case "message-retracted":
    case "message-hidden":
      return { id: event.revision, event: event.kind, data: JSON.stringify(event.message) };
    case "read":
      return { id: event.revision, event: "read", data: JSON.stringify({ userId: event.userId, upToRevision: event.upToRevision, readAt: event.readAt }) };
    case "reaction": {
      const { messageId, userId, emoji, reacted } = event;
      return { id: event.revision, event: "reaction", data: JSON.stringify({ messageId, userId, emoji, reacted }) };
    }
    case "presence":
      // No id: presence is not part of the history a client resumes from.
      return { event: "presence", data: JSON.stringify({ userId: event.userId, online: event.online, lastSeenAt: event.lastSeenAt }) };
    case "typing":
      return { event: "typing", data: JSON.stringify({ userId: event.userId, username: event.username, until: event.until }) };
    case "pickup":
      // Same id space as messages (the stream revision), so Last-Event-ID resumes after it.
      return { id: event.revision, event: "pickup", data: JSON.stringify({ giveawayId: event.giveawayId, revision: event.revision, type: event.event.type, data: event.event.data }) };
    default:
      return assertNever(event);
  }
}

export function notificationFrame(notification: UserNotification): SseFrame {
  switch (notification.kind) {
    case "message":
      return { event: "message", data: JSON.stringify(notification.message) };
    case "draw_won": {
      const { giveawayId, title, drawnAt, revision } = notification;
      return { event: "draw_won", data: JSON.stringify({ giveawayId, title, drawnAt, revision }) };
    }
    case "unread": {
      const { giveawayId, unreadCount, unreadTotal } = notification;
      return { event: "unread", data: JSON.stringify({ giveawayId, unreadCount, unreadTotal }) };
    }
    case "entered":
      return { event: "entered", data: JSON.stringify({ giveawayId: notification.giveawayId, revision: notification.revision }) };
    case "pickup": {
      const { giveawayId, title, revision, event } = notification;
      const kind = event.type === "PickupReminderSent" ? "pickup_reminder" : "pickup";
      return { event: kind, data: JSON.stringify({ giveawayId, title, revision, type: event.type, data: event.data }) };
    }
    case "muted":
      return { event: "muted", data: JSON.stringify({ giveawayId: notification.giveawayId, muted: notification.muted }) };
    default:
      return assertNever(notification);
  }
}

/** The hub hands the same event to every connection: one frame for all, so it is formatted once. */
const sharedFrames = new WeakMap<ConversationEvent, SseFrame>();

function sharedConversationFrame(event: ConversationEvent): SseFrame {
  let frame = sharedFrames.get(event);
  if (!frame) {
    frame = conversationFrame(event);
    sharedFrames.set(event, frame);
  }
  return frame;
}

/**
 * A message frame carries the scam warning its reader is shown: formatted once per event for the
 * sender (always null) and once for the recipients, each copy shared by every stream of its side.
 */
const recipientFrames = new WeakMap<ConversationEvent, SseFrame>();
const senderFrames = new WeakMap<ConversationEvent, SseFrame>();

function readerConversationFrame(event: ConversationEvent, readerId: string, patterns: readonly ScamPattern[]): SseFrame {
  if (event.kind !== "message" && event.kind !== "message-edited") return sharedConversationFrame(event);
  const frames = event.message.senderId === readerId ? senderFrames : recipientFrames;
  let frame = frames.get(event);
  if (!frame) {
    frame = conversationFrame({ ...event, message: messageForReader(patterns, event.message, readerId) });
    frames.set(event, frame);
  }
  return frame;
}

/**
 * What the /api router gives every request (a request id, no caching, JSON refusals), without express.
 * The headers come with the answer (a refusal's or the stream's head), never set ahead by setHeader,
 * which would keep them in a table per open stream.
 */
function apiStream(handoff: EdgeContext, path: string, handle: SignedInStreamHandler): StreamRoute {
  return {
    path,
    handle(req, res, params) {
      const requestId = params.requestId;
      apiIdentity(handoff, req, requestId)
        .then((identity) => handle(req, res, params, identity))
        .catch((error: unknown) => answerApiFailure(error, req, res, requestId));
    },
  };
}

/** What an API conversation stream follows with: one object, its delivery on the prototype (no closure per stream). */
class ApiConversationFollow implements FollowConversationOptions {
  constructor(
    readonly giveawayId: string,
    readonly userId: string,
    readonly after: number | "now",
    readonly client: SseStream,
    readonly scamPatterns: readonly ScamPattern[],
  ) {}

  deliver(event: ConversationEvent): void {
    // The caller's own comings and goings (other tabs) and typing tell them nothing.
    if ((event.kind === "presence" || event.kind === "typing") && event.userId === this.userId) return;
    this.client.send(readerConversationFrame(event, this.userId, this.scamPatterns));
  }
}

export type StreamsApiServices = EdgeContext & SessionStreamServices & FeedSourceServices & ReadModelState;

export function streamsApi(handoff: StreamsApiServices): StreamRoute[] {

  const conversation = apiStream(handoff, "/api/giveaways/:id/stream", async (req, res, params, identity) => {
    const giveawayId = giveawayIdParam(params.path.id);
    const userId = identity.userId;
    // A conversation drawn or written on another process a moment ago: wait until it shows here.
    await awaitMinRevision(handoff, giveawayId, { minRevision: queryValue(params.query, "minRevision") });
    if (clientGone(req, res)) return;
    // Every refusal is a plain JSON error: checked before the first byte of the stream.
    const { otherId } = await conversationForReader(handoff, giveawayId, userId);
    const point = await resumePointOf(handoff, giveawayId, req, params.query);
    if (!point.ok) throw new ApiError(point.code, point.message);
    if (clientGone(req, res)) return; // gone while we waited
    const after = point.after;

    const stream = openSessionStream(handoff, req, res, identity, "api_conversation", params.requestId);
    const follow = followConversation(conversationFeedSources(handoff), new ApiConversationFollow(giveawayId, userId, after, stream, handoff.config.scamPatterns));
    stream.onClose(follow);
    stream.send(conversationFrame({ kind: "presence", giveawayId, userId: otherId, ...handoff.hub.presenceOf(giveawayId, otherId) }));
  });

  const notifications = apiStream(handoff, "/api/me/stream", (req, res, params, identity) => {
    const userId = identity.userId;
    const stream = openSessionStream(handoff, req, res, identity, "api_notifications", params.requestId);
    const stop = handoff.hub.listenToUser(userId, (notification) => {
      if (isFromBlockedUser(handoff.queries.hasBlocked, userId, notification)) return;
      // A message's recipient is warned of a likely scam here too; its sender is not.
      const shown = notification.kind === "message" ? { ...notification, message: messageForReader(handoff.config.scamPatterns, notification.message, userId) } : notification;
      stream.send(notificationFrame(shown));
    });
    stream.onClose(stop);
    // Where the counts stand now, so a client that was away starts from the truth.
    const unreadTotal = handoff.queries.unreadTotal(userId);
    for (const entry of handoff.queries.inboxFor(userId)) {
      stream.send(notificationFrame({ kind: "unread", giveawayId: entry.giveawayId, unreadCount: entry.unreadCount, unreadTotal }));
    }
  });

  return [conversation, notifications];
}

// What one push says and how the push service treats it (RFC 8030): the payload the service worker
// shows (public/sw.js), the Topic that makes a newer push of the same conversation replace an older
// one still waiting, its TTL and Urgency. Pure.
import { conversationLink, type Notice, type NoticeKind } from "../domain/notificationRecipients.ts";
import { previewOf, type NotificationSettings } from "../domain/notificationSettings.ts";

/** How long a push service keeps a push for a browser that is offline: after a day it is old news. */
export const pushTtlSeconds = 24 * 3600;

export type PushUrgency = "very-low" | "low" | "normal" | "high";

/** The JSON the service worker receives. */
export interface PushPayload {
  /** The event's id: a repeated delivery (at least once) carries the same. */
  id: string;
  kind: NoticeKind;
  giveawayId: string;
  /** The giveaway's title. */
  title: string;
  /** Who did it; null when nobody did (a reminder). */
  from: string | null;
  /** At most 120 characters; absent when the user turned previews off. */
  body?: string;
  /** The conversation, on PUBLIC_URL when it is set (else relative to the server's own origin). */
  url: string;
}

export interface PushMessage {
  payload: PushPayload;
  /** Same for every push of one conversation, so the service keeps only the newest. */
  topic: string;
  ttlSeconds: number;
  urgency: PushUrgency;
}

const urgencyOf: Record<NoticeKind, PushUrgency> = {
  message: "normal",
  reaction: "low",
  pickup_proposed: "normal",
  pickup_planned: "normal",
  pickup_reminder: "high",
  redrawn: "high",
  cancelled: "normal",
};

/** A Topic is at most 32 characters of the base64url alphabet: the giveaway's id without its dashes. */
export function pushTopic(giveawayId: string): string {
  return giveawayId.replace(/-/g, "").slice(0, 32);
}

export function pushMessageFor(notice: Notice, facts: { eventId: string; senderName: string | null; settings: Pick<NotificationSettings, "preview">; publicOrigin: string | undefined }): PushMessage {
  const body = previewOf(notice.text, facts.settings);
  return {
    payload: {
      id: facts.eventId,
      kind: notice.kind,
      giveawayId: notice.giveawayId,
      title: notice.title,
      from: facts.senderName,
      ...(body !== undefined && { body }),
      url: conversationLink(notice.giveawayId, facts.publicOrigin),
    },
    topic: pushTopic(notice.giveawayId),
    ttlSeconds: pushTtlSeconds,
    urgency: urgencyOf[notice.kind],
  };
}

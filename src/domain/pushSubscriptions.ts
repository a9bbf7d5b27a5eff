// A user's Web Push subscriptions (RFC 8030): each browser that turned notifications on gives an
// endpoint at its push service and the keys to encrypt for it (RFC 8291). Subscribing and ending a
// subscription are events in the user's own stream, user-<userId>; a push service that answers 404
// or 410 ends it the same way (reason "gone"). Pure: time comes with the command. events.ts
// registers the events with the user events; this file imports nothing of it (no cycle).
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";
import { decided, type Decision } from "./decision.ts";

/** A push service's endpoint URL: whether it may be called is the outbound rule's (src/outbound/), checked when subscribing and when sending. */
const endpoint = z.string().min(1).max(2048);
const base64Url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/);

export const PushSubscribedSchema = z.object({
  userId: StoredIdSchema,
  endpoint,
  /** The browser's P-256 public key (uncompressed point), base64url. */
  p256dh: base64Url,
  /** The 16-byte authentication secret, base64url. */
  auth: base64Url,
  subscribedAt: z.iso.datetime(),
});

export const PushUnsubscribedSchema = z.object({
  userId: StoredIdSchema,
  endpoint,
  /** "user": turned off in the browser or the settings; "gone": the push service said 404 or 410; "replaced": a newer one pushed the oldest out. */
  reason: z.enum(["user", "gone", "replaced"]),
  unsubscribedAt: z.iso.datetime(),
});

export type PushSubscribed = z.output<typeof PushSubscribedSchema>;
export type PushUnsubscribed = z.output<typeof PushUnsubscribedSchema>;

export const pushSubscriptionEvents = eventFamily("push subscription", {
  PushSubscribed: PushSubscribedSchema,
  PushUnsubscribed: PushUnsubscribedSchema,
});

export type PushSubscriptionEvent = EventsOf<typeof pushSubscriptionEvents.schemas>;

export interface PushSubscriptionKeys {
  readonly p256dh: string;
  readonly auth: string;
}

export interface StoredPushSubscription extends PushSubscriptionKeys {
  readonly endpoint: string;
  readonly subscribedAt: string;
}

/** Browsers one user may have subscribed at once; a newer one ends the oldest. */
export const maxPushSubscriptionsPerUser = 10;

/** The user's standing subscriptions by endpoint, oldest first (any other event of the stream is passed over). */
export function foldPushSubscriptions(events: Iterable<{ type: string; data: unknown }>): ReadonlyMap<string, StoredPushSubscription> {
  const subscriptions = new Map<string, StoredPushSubscription>();
  for (const event of events) {
    if (event.type === "PushSubscribed") {
      const { endpoint, p256dh, auth, subscribedAt } = event.data as PushSubscribed;
      subscriptions.delete(endpoint);
      subscriptions.set(endpoint, { endpoint, p256dh, auth, subscribedAt });
    } else if (event.type === "PushUnsubscribed") {
      subscriptions.delete((event.data as PushUnsubscribed).endpoint);
    }
  }
  return subscriptions;
}

/** Whether the keys have the shapes RFC 8291 needs: a 65-byte uncompressed P-256 point and a 16-byte secret. */
export function pushKeysProblem(keys: PushSubscriptionKeys): string | undefined {
  const point = Buffer.from(keys.p256dh, "base64url");
  if (point.length !== 65 || point[0] !== 0x04) return "keys.p256dh must be an uncompressed P-256 public key (65 bytes, base64url)";
  if (Buffer.from(keys.auth, "base64url").length !== 16) return "keys.auth must be 16 bytes, base64url";
  return undefined;
}

export interface Subscribe {
  readonly type: "SubscribeToPush";
  readonly userId: string;
  readonly endpoint: string;
  readonly keys: PushSubscriptionKeys;
  readonly now: Date;
}

export interface Unsubscribe {
  readonly type: "UnsubscribeFromPush";
  readonly userId: string;
  readonly endpoint: string;
  readonly reason: PushUnsubscribed["reason"];
  readonly now: Date;
}

/** `known`: the endpoint was already subscribed (the API answers 200, not 201). Nothing is written when the same keys stand. */
export function decideSubscribe(command: Subscribe, current: ReadonlyMap<string, StoredPushSubscription>): Decision<PushSubscriptionEvent> & { known: boolean } {
  const { userId, endpoint, keys, now } = command;
  const standing = current.get(endpoint);
  if (standing && standing.p256dh === keys.p256dh && standing.auth === keys.auth) return { ...decided([]), known: true };
  const events: PushSubscriptionEvent[] = [];
  const others = [...current.keys()].filter((each) => each !== endpoint);
  // The oldest make room, so a user's list stays short however many browsers come and go.
  for (const oldest of others.slice(0, Math.max(0, others.length - (maxPushSubscriptionsPerUser - 1)))) {
    events.push({ type: "PushUnsubscribed", data: { userId, endpoint: oldest, reason: "replaced", unsubscribedAt: now.toISOString() } });
  }
  events.push({ type: "PushSubscribed", data: { userId, endpoint, p256dh: keys.p256dh, auth: keys.auth, subscribedAt: now.toISOString() } });
  return { ...decided(events), known: standing !== undefined };
}

/** Ending a subscription that does not stand records nothing (a second 410, a repeated DELETE). */
export function decideUnsubscribe(command: Unsubscribe, current: ReadonlyMap<string, StoredPushSubscription>): Decision<PushSubscriptionEvent> {
  if (!current.has(command.endpoint)) return decided([]);
  const { userId, endpoint, reason, now } = command;
  return decided([{ type: "PushUnsubscribed", data: { userId, endpoint, reason, unsubscribedAt: now.toISOString() } }]);
}

// The platform's webhook endpoints are facts in one stream, platform-webhooks: registered (with its
// signing secret: the secret is an event, shown once to the caller), its secret rotated (the old one
// keeps signing for a while), removed by its service key, disabled when deliveries kept failing.
// Schemas only grow. Delivery attempts are not events: they are operational records (webhooks.db).
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();

/** The event types a platform may subscribe to, in the order docs/api.md lists them. */
export const webhookEventTypes = [
  "message.sent",
  "message.edited",
  "message.removed",
  "message.read",
  "giveaway.drawn",
  "giveaway.redrawn",
  "pickup.agreed",
  "giveaway.completed",
  "giveaway.cancelled",
] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

/** "whsec_" and the base64 of the signing key (Standard Webhooks). */
export const WebhookSecretSchema = z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/);

export const WebhookEndpointRegisteredSchema = z.object({
  endpointId: id,
  /** The service key that registered it: only that key lists, rotates or removes it. */
  keyName: z.string().min(1),
  url: z.string().min(1).max(2000),
  events: z.array(z.enum(webhookEventTypes)).min(1),
  secret: WebhookSecretSchema,
  registeredAt: instant,
});

/** A new secret; the previous one still signs (beside it) until `previousValidUntil`. */
export const WebhookSecretRotatedSchema = z.object({
  endpointId: id,
  secret: WebhookSecretSchema,
  previousValidUntil: instant,
  rotatedAt: instant,
});

export const WebhookEndpointRemovedSchema = z.object({
  endpointId: id,
  removedAt: instant,
});

/** Deliveries kept failing past the retry schedule: nothing more is sent to it. */
export const WebhookEndpointDisabledSchema = z.object({
  endpointId: id,
  reason: z.string().max(500),
  disabledAt: instant,
});

export const webhookEvents = eventFamily("webhook", {
  WebhookEndpointRegistered: WebhookEndpointRegisteredSchema,
  WebhookSecretRotated: WebhookSecretRotatedSchema,
  WebhookEndpointRemoved: WebhookEndpointRemovedSchema,
  WebhookEndpointDisabled: WebhookEndpointDisabledSchema,
});

export type WebhookEvent = EventsOf<typeof webhookEvents.schemas>;

/** Every endpoint of every service key: one small stream, read whole (a platform has a handful). */
export const webhooksStream = "platform-webhooks";

// Webhooks for the platform (the Standard Webhooks specification), decided purely: registering,
// removing and rotating endpoints, which log event becomes which webhook and with what data, who
// gets it, how it is signed, when a failed delivery is tried again and when an endpoint is given up.
// Time, ids, secrets and randomness come from the caller.
import { createHash, createHmac } from "node:crypto";
import type { GiveawayEvent } from "./events.ts";
import { webhookEventTypes, type WebhookEvent, type WebhookEventType } from "./webhooksEvents.ts";

/** How long a rotated-out secret still signs, so a receiver can switch over. */
export const secretOverlapMs = 24 * 60 * 60 * 1000;
/** Active endpoints per service key: each event is sent to every one, so the fan-out stays bounded. */
export const maxEndpointsPerKey = 20;
export const maxUrlLength = 2000;

export interface WebhookEndpoint {
  endpointId: string;
  keyName: string;
  url: string;
  events: readonly WebhookEventType[];
  /** The newest first; each signs until its `validUntil` (undefined: the current one). */
  secrets: readonly { secret: string; validUntil: string | undefined }[];
  registeredAt: string;
  /** The global position of its registration: it gets the events after it, not before. */
  registeredPosition: bigint;
  status: "active" | "disabled" | "removed";
  disabledAt: string | undefined;
  disabledReason: string | undefined;
}

export type WebhooksState = ReadonlyMap<string, WebhookEndpoint>;

/** The stream's events with their global positions, folded into every endpoint's state. */
export function foldWebhooks(events: Iterable<{ event: WebhookEvent; position: bigint }>): WebhooksState {
  const endpoints = new Map<string, WebhookEndpoint>();
  for (const { event, position } of events) {
    const endpoint = endpoints.get(event.data.endpointId);
    switch (event.type) {
      case "WebhookEndpointRegistered": {
        if (endpoint) break;
        const { endpointId, keyName, url, events: types, secret, registeredAt } = event.data;
        endpoints.set(endpointId, { endpointId, keyName, url, events: types, secrets: [{ secret, validUntil: undefined }], registeredAt, registeredPosition: position, status: "active", disabledAt: undefined, disabledReason: undefined });
        break;
      }
      case "WebhookSecretRotated": {
        if (!endpoint) break;
        const [current, ...older] = endpoint.secrets;
        const previous = current ? [{ secret: current.secret, validUntil: event.data.previousValidUntil }] : [];
        endpoints.set(endpoint.endpointId, { ...endpoint, secrets: [{ secret: event.data.secret, validUntil: undefined }, ...previous, ...older] });
        break;
      }
      case "WebhookEndpointRemoved":
        if (endpoint) endpoints.set(endpoint.endpointId, { ...endpoint, status: "removed" });
        break;
      case "WebhookEndpointDisabled":
        if (endpoint && endpoint.status === "active") endpoints.set(endpoint.endpointId, { ...endpoint, status: "disabled", disabledAt: event.data.disabledAt, disabledReason: event.data.reason });
        break;
      default: {
        const unknown: never = event;
        throw new Error(`unhandled webhook event ${(unknown as { type: string }).type}`);
      }
    }
  }
  return endpoints;
}

/** The codes the API answers a refusal with (errorAnswers.ts knows their statuses). */
export type WebhookRefusalCode = "not_found" | "invalid_field";
export type WebhookDecision = { ok: true; events: WebhookEvent[] } | { ok: false; code: WebhookRefusalCode; message: string };

export function isWebhookEventType(type: string): type is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(type);
}

/** A key's own endpoint that is not removed; another key's is as unknown as none. */
function ownEndpoint(state: WebhooksState, keyName: string, endpointId: string): WebhookEndpoint | undefined {
  const endpoint = state.get(endpointId);
  return endpoint && endpoint.keyName === keyName && endpoint.status !== "removed" ? endpoint : undefined;
}

/** `url` has passed the outbound check already (src/outbound/outboundGuard.ts: an I/O-free rule, but the edge's). */
export function decideRegisterWebhook(
  state: WebhooksState,
  request: { endpointId: string; keyName: string; url: string; events: readonly string[]; secret: string; now: Date },
): WebhookDecision {
  const { endpointId, keyName, url, secret, now } = request;
  if (url.length > maxUrlLength) return { ok: false, code: "invalid_field", message: `url: at most ${maxUrlLength} characters` };
  if (request.events.length === 0) return { ok: false, code: "invalid_field", message: `events: name at least one of ${webhookEventTypes.join(", ")}` };
  const unknown = request.events.find((type) => !isWebhookEventType(type));
  if (unknown !== undefined) return { ok: false, code: "invalid_field", message: `events: unknown event type ${JSON.stringify(unknown.slice(0, 60))} (known: ${webhookEventTypes.join(", ")})` };
  if (state.has(endpointId)) return { ok: false, code: "invalid_field", message: "an endpoint with this id exists already" };
  const active = [...state.values()].filter((endpoint) => endpoint.keyName === keyName && endpoint.status === "active").length;
  if (active >= maxEndpointsPerKey) return { ok: false, code: "invalid_field", message: `a service key has at most ${maxEndpointsPerKey} active endpoints: remove one first` };
  const events = [...new Set(request.events)] as WebhookEventType[];
  return { ok: true, events: [{ type: "WebhookEndpointRegistered", data: { endpointId, keyName, url, events, secret, registeredAt: now.toISOString() } }] };
}

export function decideRemoveWebhook(state: WebhooksState, request: { endpointId: string; keyName: string; now: Date }): WebhookDecision {
  if (!ownEndpoint(state, request.keyName, request.endpointId)) return { ok: false, code: "not_found", message: "no such webhook endpoint" };
  return { ok: true, events: [{ type: "WebhookEndpointRemoved", data: { endpointId: request.endpointId, removedAt: request.now.toISOString() } }] };
}

/** The new secret signs from now on; the one it replaces signs beside it for `secretOverlapMs`. */
export function decideRotateWebhookSecret(state: WebhooksState, request: { endpointId: string; keyName: string; secret: string; now: Date }): WebhookDecision {
  if (!ownEndpoint(state, request.keyName, request.endpointId)) return { ok: false, code: "not_found", message: "no such webhook endpoint" };
  const { endpointId, secret, now } = request;
  return { ok: true, events: [{ type: "WebhookSecretRotated", data: { endpointId, secret, previousValidUntil: new Date(now.getTime() + secretOverlapMs).toISOString(), rotatedAt: now.toISOString() } }] };
}

/** Only an active endpoint is disabled (a removed or already disabled one stays as it is). */
export function decideDisableWebhook(state: WebhooksState, request: { endpointId: string; reason: string; now: Date }): WebhookDecision {
  const endpoint = state.get(request.endpointId);
  if (!endpoint || endpoint.status !== "active") return { ok: true, events: [] };
  return { ok: true, events: [{ type: "WebhookEndpointDisabled", data: { endpointId: request.endpointId, reason: request.reason.slice(0, 500), disabledAt: request.now.toISOString() } }] };
}

/** The secrets that sign a delivery made at `now`: the current one and any rotated out less than a day ago. */
export function signingSecrets(endpoint: WebhookEndpoint, now: Date): string[] {
  return endpoint.secrets.filter(({ validUntil }) => validUntil === undefined || Date.parse(validUntil) > now.getTime()).map(({ secret }) => secret);
}

/** Whether an endpoint gets a webhook of this type made from the event at `position`. */
export function endpointWants(endpoint: WebhookEndpoint, type: WebhookEventType, position: bigint): boolean {
  return endpoint.status === "active" && endpoint.registeredPosition < position && endpoint.events.includes(type);
}

/** What a receiver gets: the JSON body's `type`, `timestamp` (when it happened) and `data`. */
export interface WebhookMessage {
  type: WebhookEventType;
  timestamp: string;
  data: Record<string, unknown>;
}

/** What a webhook tells beyond its event, looked up in the log by the caller. */
export interface WebhookContext {
  /** The platform's own id of a giveaway it pushed in (null for one made in handoff), so the platform need not map handoff's ids back. */
  platformGiveawayId?: string | null;
  /** pickup.agreed: the accepted proposal's window and place. */
  agreedProposal?: { from: string; to: string; place: string } | undefined;
}

/** The webhook a giveaway event makes, if any. The platform's own system messages are message.sent with kind "system". */
export function webhookMessageOf(giveawayId: string, event: GiveawayEvent, context: WebhookContext = {}): WebhookMessage | undefined {
  const platformGiveawayId = context.platformGiveawayId ?? null;
  const message = (type: WebhookEventType, timestamp: string, data: Record<string, unknown>): WebhookMessage => ({ type, timestamp, data: { giveawayId, platformGiveawayId, ...data } });
  switch (event.type) {
    case "MessageSent": {
      const { messageId, senderId, content, sentAt, replyTo, attachmentIds } = event.data;
      return message("message.sent", sentAt, { messageId, kind: "user", senderId, content, sentAt, replyTo: replyTo ?? null, attachmentIds: attachmentIds ?? [] });
    }
    case "SystemMessagePosted": {
      const { messageId, content, postedAt } = event.data;
      return message("message.sent", postedAt, { messageId, kind: "system", senderId: null, content, sentAt: postedAt, replyTo: null, attachmentIds: [] });
    }
    case "MessageEdited":
      return message("message.edited", event.data.editedAt, { messageId: event.data.messageId, editorId: event.data.editorId, content: event.data.content, editedAt: event.data.editedAt });
    case "MessageRetracted":
      return message("message.removed", event.data.retractedAt, { messageId: event.data.messageId, removedBy: event.data.retractedBy, removedAt: event.data.retractedAt });
    case "ConversationRead":
      return message("message.read", event.data.readAt, { userId: event.data.userId, upToRevision: event.data.upToRevision, readAt: event.data.readAt });
    case "DrawConducted":
      return message("giveaway.drawn", event.data.drawnAt, { winnerId: event.data.winnerId, drawnAt: event.data.drawnAt, decidedBy: event.data.decidedBy ?? "handoff" });
    case "WinnerRedrawn":
      return message("giveaway.redrawn", event.data.redrawnAt, { winnerId: event.data.winnerId, previousWinnerId: event.data.previousWinnerId, reason: event.data.reason, redrawnAt: event.data.redrawnAt });
    case "PickupProposalAccepted": {
      const { from = null, to = null, place = null } = context.agreedProposal ?? {};
      return message("pickup.agreed", event.data.acceptedAt, { proposalId: event.data.proposalId, acceptedBy: event.data.acceptedBy, agreedAt: event.data.acceptedAt, from, to, place });
    }
    case "GiveawayCompleted":
      return message("giveaway.completed", event.data.completedAt, { completedAt: event.data.completedAt });
    case "GiveawayCancelled":
      return message("giveaway.cancelled", event.data.cancelledAt, { cancelledBy: event.data.cancelledBy, reason: event.data.reason, cancelledAt: event.data.cancelledAt });
    default:
      return undefined;
  }
}

/** The log event types that make a webhook (the reactor's interest). */
export const webhookSourceEventTypes = [
  "MessageSent", "SystemMessagePosted", "MessageEdited", "MessageRetracted", "ConversationRead",
  "DrawConducted", "WinnerRedrawn", "PickupProposalAccepted", "GiveawayCompleted", "GiveawayCancelled",
] as const satisfies readonly GiveawayEvent["type"][];

/** `webhook-id`: the same for one event and one endpoint however often it is sent, so a receiver can drop a repeat. */
export function webhookIdOf(eventId: string, endpointId: string): string {
  return `msg_${createHash("sha256").update(`${eventId}/${endpointId}`).digest("base64url").slice(0, 27)}`;
}

/** The three Standard Webhooks headers for a body sent at `now` (whole seconds), signed with each secret. */
export function signedHeaders(webhookId: string, body: string, secrets: readonly string[], now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
    return `v1,${createHmac("sha256", key).update(`${webhookId}.${timestamp}.${body}`).digest("base64")}`;
  });
  return { "webhook-id": webhookId, "webhook-timestamp": timestamp, "webhook-signature": signatures.join(" ") };
}

/**
 * The waits after each failed attempt (Standard Webhooks' suggestion: 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 10 h: about a day in all); after the last one the endpoint is given up.
 */
export const defaultRetryDelaysMs: readonly number[] = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/**
 * When to try again after `failedAttempts` failed attempts (1 after the first), or undefined: give
 * up (disable the endpoint). Each wait is spread by +-20% (`random` in [0, 1)) so the retries of
 * many deliveries that failed together do not come back together.
 */
export function nextRetryAt(failedAttempts: number, now: Date, random: () => number, delaysMs: readonly number[] = defaultRetryDelaysMs): Date | undefined {
  const delay = delaysMs[failedAttempts - 1];
  if (delay === undefined) return undefined;
  return new Date(now.getTime() + Math.round(delay * (0.8 + 0.4 * random())));
}

/** A 2xx answer is a delivery; anything else (a redirect too: it is not followed) is a failure. */
export function isDelivered(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

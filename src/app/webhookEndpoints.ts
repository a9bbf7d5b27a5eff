// The platform's webhook endpoints over the store (the platform-webhooks stream), read whole at each
// use like a service key's stream, never a per-process cache, so a removal holds at once on every
// process. Decisions are domain/webhooks.ts's; the URL rule is src/outbound's.
import { randomBytes } from "node:crypto";
import {
  decideDisableWebhook, decideRegisterWebhook, decideRemoveWebhook, decideRotateWebhookSecret, foldWebhooks,
  type WebhookDecision, type WebhookEndpoint, type WebhookRefusalCode, type WebhooksState,
} from "../domain/webhooks.ts";
import { webhookEvents, webhooksStream } from "../domain/webhooksEvents.ts";
import { hasErrorCode, type EventStore, type ExpectedRevision } from "../eventstore/port.ts";
import { checkOutboundUrl, type OutboundPolicy } from "../outbound/outboundGuard.ts";
import type { WebhookAttempt, WebhookDeliveries } from "../reactors/webhookDeliveries.ts";

export type WebhookRefusal = { ok: false; code: WebhookRefusalCode | "url_not_allowed"; message: string };

/** An endpoint as its service key sees it: never its secret (shown once, at creation and rotation). */
export interface WebhookEndpointView {
  id: string;
  url: string;
  events: readonly string[];
  status: "active" | "disabled";
  createdAt: string;
  disabledAt: string | null;
  disabledReason: string | null;
  /** While a rotated-out secret still signs: until when. */
  previousSecretValidUntil: string | null;
  /** The newest delivery attempts first (at most 100). */
  recentDeliveries: Omit<WebhookAttempt, "endpointId">[];
}

export interface WebhookEndpoints {
  register(keyName: string, input: { url: string; events: readonly string[] }): Promise<{ ok: true; endpoint: WebhookEndpointView; secret: string } | WebhookRefusal>;
  list(keyName: string): Promise<WebhookEndpointView[]>;
  remove(keyName: string, endpointId: string): Promise<{ ok: true } | WebhookRefusal>;
  rotateSecret(keyName: string, endpointId: string): Promise<{ ok: true; secret: string; previousSecretValidUntil: string } | WebhookRefusal>;
  /** Every endpoint, for the outbox (read again whenever the stream has grown). */
  state(): Promise<WebhooksState>;
  /** The outbox gives an endpoint up. */
  disable(endpointId: string, reason: string): Promise<void>;
}

/** A fresh signing secret: 32 random bytes, as Standard Webhooks writes them. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

const maxAttempts = 5;

export function createWebhookEndpoints(deps: { store: EventStore; newId: () => string; now: () => Date; policy: OutboundPolicy; deliveries: Pick<WebhookDeliveries, "recent"> }): WebhookEndpoints {
  const { store, newId, now } = deps;
  let folded: { revision: bigint; state: WebhooksState } | undefined;

  async function read(): Promise<{ state: WebhooksState; expected: ExpectedRevision }> {
    try {
      const events = await store.readStream(webhooksStream);
      return { state: foldWebhooks(events.map((recorded) => ({ event: webhookEvents.parse(recorded.type, recorded.data), position: recorded.position }))), expected: events.at(-1)!.revision };
    } catch (error) {
      if (!hasErrorCode(error, "stream_not_found")) throw error;
      return { state: foldWebhooks([]), expected: "no_stream" };
    }
  }

  /** Read, decide, append at the revision read; another writer in between: read and decide again. */
  async function write(actorId: string, decide: (state: WebhooksState) => WebhookDecision): Promise<{ ok: true; state: WebhooksState } | WebhookRefusal> {
    for (let attempt = 1; ; attempt++) {
      const { state, expected } = await read();
      const decision = decide(state);
      if (!decision.ok) return decision;
      if (decision.events.length === 0) return { ok: true, state };
      const correlationId = newId();
      const metadata = { actorId, correlationId, causationId: correlationId };
      try {
        await store.appendToStream(webhooksStream, decision.events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata })), { expectedRevision: expected });
      } catch (error) {
        if (hasErrorCode(error, "wrong_expected_revision") && attempt < maxAttempts) continue;
        throw error;
      }
      return { ok: true, state: (await read()).state };
    }
  }

  const view = (endpoint: WebhookEndpoint): WebhookEndpointView => {
    const previous = endpoint.secrets.slice(1).find(({ validUntil }) => validUntil !== undefined && Date.parse(validUntil) > now().getTime());
    return {
      id: endpoint.endpointId,
      url: endpoint.url,
      events: endpoint.events,
      status: endpoint.status === "disabled" ? "disabled" : "active",
      createdAt: endpoint.registeredAt,
      disabledAt: endpoint.disabledAt ?? null,
      disabledReason: endpoint.disabledReason ?? null,
      previousSecretValidUntil: previous?.validUntil ?? null,
      recentDeliveries: deps.deliveries.recent(endpoint.endpointId).map(({ endpointId: _endpointId, ...attempt }) => attempt),
    };
  };

  return {
    async register(keyName, input) {
      const checked = checkOutboundUrl(input.url, deps.policy);
      if (!checked.ok) return { ok: false, code: "url_not_allowed", message: `url: ${checked.reason}` };
      const endpointId = newId();
      const secret = newWebhookSecret();
      const written = await write(`platform:${keyName}`, (state) => decideRegisterWebhook(state, { endpointId, keyName, url: checked.url.href, events: input.events, secret, now: now() }));
      if (!written.ok) return written;
      return { ok: true, endpoint: view(written.state.get(endpointId)!), secret };
    },
    async list(keyName) {
      const { state } = await read();
      return [...state.values()].filter((endpoint) => endpoint.keyName === keyName && endpoint.status !== "removed").map(view);
    },
    async remove(keyName, endpointId) {
      const written = await write(`platform:${keyName}`, (state) => decideRemoveWebhook(state, { endpointId, keyName, now: now() }));
      return written.ok ? { ok: true } : written;
    },
    async rotateSecret(keyName, endpointId) {
      const secret = newWebhookSecret();
      const written = await write(`platform:${keyName}`, (state) => decideRotateWebhookSecret(state, { endpointId, keyName, secret, now: now() }));
      if (!written.ok) return written;
      const rotated = written.state.get(endpointId)!;
      return { ok: true, secret, previousSecretValidUntil: rotated.secrets[1]?.validUntil ?? now().toISOString() };
    },
    async state() {
      // The outbox asks at every delivery: the fold is kept while the stream's newest revision stays the same.
      let newest: bigint;
      try {
        const [last] = await store.readStream(webhooksStream, { direction: "backwards", maxCount: 1 });
        newest = last!.revision;
      } catch (error) {
        if (!hasErrorCode(error, "stream_not_found")) throw error;
        return foldWebhooks([]);
      }
      if (folded?.revision !== newest) {
        const { state, expected } = await read();
        folded = { revision: typeof expected === "bigint" ? expected : -1n, state };
      }
      return folded.state;
    },
    async disable(endpointId, reason) {
      await write("system:webhook-outbox", (state) => decideDisableWebhook(state, { endpointId, reason, now: now() }));
    },
  };
}

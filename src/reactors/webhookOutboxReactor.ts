// The webhook outbox: follows the log from its own checkpoint like a projection, and for each event
// that makes a webhook (domain/webhooks.ts) stores one wake-up per endpoint that wants it, committed
// with the checkpoint: that is the outbox, so a crash or restart loses none. Each wake-up is one
// delivery, signed with a webhook-id fixed by the event and the endpoint, so a repeat (after a crash
// mid-delivery) carries the same id. A wake-up starts its POST and returns at once, moving itself a
// little later to look at the answer then, or sooner: the answer brings the look forward (wakeSoon).
// No delivery holds up the reactor's checkpoint or another delivery, and the wake-up stays stored
// until its answer is in; the place it frees goes to the next delivery waiting for that endpoint.
// A failure stores the next try as the same wake-up later (backoff with jitter, about a day), then
// gives the endpoint up (WebhookEndpointDisabled). While an endpoint is failing, its other due
// deliveries are put off to its next try without spending their attempts: a dead receiver costs one
// attempt per retry period.
import {
  endpointWants, isDelivered, nextRetryAt, signedHeaders, signingSecrets, webhookIdOf, webhookMessageOf, webhookSourceEventTypes,
  type WebhookEndpoint, type WebhookMessage, type WebhooksState,
} from "../domain/webhooks.ts";
import { componentLogger } from "../observability/logger.ts";
import { metrics } from "../observability/metrics.ts";
import type { OutboundAnswer, OutboundPoster } from "../outbound/outboundPost.ts";
import type { DurableContext, DurableReactor, DurableWakeUps } from "./reactor.ts";
import type { WebhookDeliveries } from "./webhookDeliveries.ts";

const log = componentLogger("webhooks");

export const webhookOutboxName = "webhook-outbox";

export interface WebhookOutboxDeps {
  /** Every endpoint as the store has it now. */
  endpoints(): Promise<WebhooksState>;
  /** Gives an endpoint up (an event), after a delivery failed past the schedule. */
  disable(endpointId: string, reason: string): Promise<void>;
  deliveries: Pick<WebhookDeliveries, "record">;
  poster: OutboundPoster;
  /** The waits after each failed attempt (domain/webhooks.ts's default: about a day). */
  retryDelaysMs: readonly number[];
  /** In [0, 1): the retries' jitter. */
  random(): number;
  /** The clock an answer's arrival is read from (the wake-ups' is the runner's). */
  now(): Date;
  /** The platform's own id of a giveaway it pushed in; null for one made in handoff. */
  platformGiveawayId(giveawayId: string): Promise<string | null>;
  /** An accepted proposal's window and place, from the giveaway's stream before `beforeRevision`. */
  agreedProposal(giveawayId: string, proposalId: string, beforeRevision: bigint): Promise<{ from: string; to: string; place: string } | undefined>;
}

/** One waiting delivery, as its wake-up's payload. */
export interface OutboxDelivery {
  endpointId: string;
  webhookId: string;
  message: WebhookMessage;
  /** Attempts made so far. */
  attempts: number;
}

/** A failing endpoint's deliveries wait until its next try, spread over this. */
const deferSpreadMs = 1000;
/** How soon a delivery in flight is looked at again (its wake-up is moved this far ahead meanwhile). */
export const webhookCheckEveryMs = 250;
/** POSTs in flight at once from this process, and to one endpoint: the rest wait their turn. */
const maxInFlight = 32;
const maxInFlightPerEndpoint = 4;
/**
 * A delivery that finds no place free waits parked: made due again as soon as an answer frees a
 * place, and stored meanwhile as far ahead as its place in the line (250 ms a delivery before it, at
 * most a minute): the net for a restart, which forgets the line. Before, each waiting delivery
 * looked every 250 ms, and a receiver that never answered halved the send rate.
 */
const parkedForMs = (ahead: number) => Math.min(60_000, webhookCheckEveryMs * Math.max(1, ahead));
/** A POST in flight is looked at again after as long as it has been out (from webhookCheckEveryMs up to this). */
const maxCheckEveryMs = 5000;

/** A POST this process started: settled once its answer (or its deadline) came. */
interface Flight {
  endpointId: string;
  startedAt: number;
  settled: { delivered: true } | { delivered: false; attempt: number; retryAt: Date | undefined; error: string } | undefined;
}

/** How long a delivery made due holds its place before it has woken. */
const comingHeldMs = 60_000;

interface Places {
  total: number;
  byEndpoint: Map<string, number>;
}
const takePlace = (places: Places, endpointId: string) => {
  places.byEndpoint.set(endpointId, (places.byEndpoint.get(endpointId) ?? 0) + 1);
  places.total += 1;
};
const placeFree = (places: Places, endpointId: string) => places.total < maxInFlight && (places.byEndpoint.get(endpointId) ?? 0) < maxInFlightPerEndpoint;

export function webhookOutboxReactor(deps: WebhookOutboxDeps): DurableReactor {
  /** Endpoint id -> until when it is failing (in memory: after a restart each tries once more). */
  const failingUntil = new Map<string, number>();
  /** Deliveries this process has sent and not yet looked at, by wake-up key. */
  const flights = new Map<string, Flight>();
  /** Deliveries waiting for a place, by wake-up key, oldest first. */
  const parked = new Map<string, OutboxDelivery>();
  /**
   * Deliveries made due now (by a batch or an unpark) and not yet woken, by wake-up key: each holds
   * its endpoint's place, for a while (a wake-up this process no longer runs must not hold it forever).
   */
  const coming = new Map<string, { endpointId: string; since: number }>();
  /** The runner's, to look at a flight as soon as its answer is in (none when a test calls wake itself). */
  let wakeUps: DurableWakeUps | undefined;

  /** The places in flight or about to be, in all and per endpoint. */
  const placesTaken = (): Places => {
    const places: Places = { total: 0, byEndpoint: new Map() };
    for (const flight of flights.values()) if (!flight.settled) takePlace(places, flight.endpointId);
    const now = deps.now().getTime();
    for (const [key, { endpointId, since }] of coming) {
      if (now - since > comingHeldMs) coming.delete(key);
      else takePlace(places, endpointId);
    }
    return places;
  };
  const makeDue = (context: DurableContext, key: string, delivery: OutboxDelivery) => {
    coming.set(key, { endpointId: delivery.endpointId, since: deps.now().getTime() });
    context.schedule(key, context.now(), delivery);
  };
  const park = (context: DurableContext, key: string, delivery: OutboxDelivery) => {
    parked.set(key, delivery);
    context.schedule(key, new Date(context.now().getTime() + parkedForMs(parked.size)), delivery);
  };
  /**
   * Parked deliveries whose endpoint has a place free become due now, one per place: an answer from
   * one endpoint wakes the one next in its line, not every delivery waiting for any endpoint.
   */
  const unpark = (context: DurableContext) => {
    const taken = placesTaken();
    for (const [key, delivery] of parked) {
      if (taken.total >= maxInFlight) break;
      if (!placeFree(taken, delivery.endpointId)) continue;
      takePlace(taken, delivery.endpointId);
      parked.delete(key);
      makeDue(context, key, delivery);
    }
  };

  /** Starts one POST; its flight is settled when the answer (or the deadline) comes, recorded, and looked at at once. */
  const send = (key: string, endpoint: WebhookEndpoint, delivery: OutboxDelivery, now: Date): Flight => {
    const flight: Flight = { endpointId: endpoint.endpointId, startedAt: now.getTime(), settled: undefined };
    const body = JSON.stringify(delivery.message);
    const headers = signedHeaders(delivery.webhookId, body, signingSecrets(endpoint, now), now);
    const attempt = delivery.attempts + 1;
    const settle = (answer: OutboundAnswer) => {
      const record = { endpointId: endpoint.endpointId, webhookId: delivery.webhookId, type: delivery.message.type, attempt, attemptedAt: now.toISOString(), status: answer.status ?? null, latencyMs: answer.latencyMs };
      if (isDelivered(answer.status)) {
        failingUntil.delete(endpoint.endpointId);
        metrics.webhookDeliveries.inc({ outcome: "sent" });
        flight.settled = { delivered: true };
        deps.deliveries.record({ ...record, outcome: "delivered", error: null });
        wakeUps?.wakeSoon(key);
        return;
      }
      const error = answer.status === undefined ? answer.error : `answered ${answer.status}`;
      const retryAt = nextRetryAt(attempt, deps.now(), deps.random, deps.retryDelaysMs);
      metrics.webhookDeliveries.inc({ outcome: "failed" });
      if (retryAt) {
        failingUntil.set(endpoint.endpointId, retryAt.getTime());
        metrics.webhookDeliveries.inc({ outcome: "retried" });
      } else {
        failingUntil.delete(endpoint.endpointId);
        metrics.webhookDeliveries.inc({ outcome: "given_up" });
      }
      flight.settled = { delivered: false, attempt, retryAt, error };
      deps.deliveries.record({ ...record, outcome: retryAt ? "retrying" : "given_up", error });
      wakeUps?.wakeSoon(key);
    };
    deps.poster.post(endpoint.url, headers, body).then(settle, (error: unknown) => settle({ status: undefined, error: String(error), latencyMs: 0 })).catch((error: unknown) => {
      log.warn({ endpointId: endpoint.endpointId, webhookId: delivery.webhookId, error: String(error) }, "webhook delivery attempt not recorded");
    });
    return flight;
  };

  return {
    name: webhookOutboxName,
    kind: "durable",
    // From the beginning, so no event slips between a first start and its subscription: an endpoint
    // only gets the events after its registration (endpointWants), so the old log sends nothing.
    firstStart: "beginning",
    canHandle: webhookSourceEventTypes,
    // No active endpoint: nothing is looked up or written per batch. The endpoints are read from the
    // store after the batch's events were committed, so one registered before them is seen.
    quiet: async () => ![...(await deps.endpoints()).values()].some((endpoint) => endpoint.status === "active"),
    async handle(batch, context) {
      const endpoints = [...(await deps.endpoints()).values()].filter((endpoint) => endpoint.status === "active");
      if (endpoints.length === 0) return; // nobody to tell (and nothing to look up)
      const messages: { recorded: { id: string; position: bigint }; message: WebhookMessage }[] = [];
      for (const projected of batch) {
        if (projected.stream !== "giveaway") continue;
        const { giveawayId, event } = projected;
        const agreedProposal = event.type === "PickupProposalAccepted" ? await deps.agreedProposal(giveawayId, event.data.proposalId, projected.recorded.revision) : undefined;
        const message = webhookMessageOf(giveawayId, event, { platformGiveawayId: await deps.platformGiveawayId(giveawayId), agreedProposal });
        if (message) messages.push({ recorded: projected.recorded, message });
      }
      const taken = placesTaken();
      for (const { recorded, message } of messages) {
        for (const endpoint of endpoints) {
          if (!endpointWants(endpoint, message.type, recorded.position)) continue;
          const delivery: OutboxDelivery = { endpointId: endpoint.endpointId, webhookId: webhookIdOf(recorded.id, endpoint.endpointId), message, attempts: 0 };
          // Again after a crash (mayRepeat): the same key, so it replaces rather than doubles.
          const key = `${endpoint.endpointId}/${recorded.id}`;
          if (placeFree(taken, endpoint.endpointId)) {
            takePlace(taken, endpoint.endpointId);
            makeDue(context, key, delivery);
          } else park(context, key, delivery);
        }
      }
    },
    attach(runner) {
      wakeUps = runner;
    },
    async wake(wakeUp, context) {
      const { key } = wakeUp;
      const delivery = wakeUp.payload as OutboxDelivery;
      parked.delete(key);
      coming.delete(key);
      if (flights.get(key)?.settled?.delivered) {
        // Answered with a 2xx (the answer brought this look forward): done, with no endpoint to look up.
        flights.delete(key);
        return unpark(context);
      }
      const endpoint = (await deps.endpoints()).get(delivery.endpointId);
      if (!endpoint || endpoint.status !== "active") {
        flights.delete(key);
        return; // removed or given up meanwhile: nothing more is sent
      }
      const now = context.now();
      const flight = flights.get(key);
      const checkAgain = () => {
        const out = flight ? now.getTime() - flight.startedAt : 0;
        context.schedule(key, new Date(now.getTime() + Math.min(maxCheckEveryMs, Math.max(webhookCheckEveryMs, out))), delivery);
      };
      if (flight) {
        const settled = flight.settled;
        if (!settled) return checkAgain(); // its answer is not in yet
        flights.delete(key);
        unpark(context);
        if (settled.delivered) return; // done: the wake-up goes
        if (settled.retryAt) return context.schedule(key, settled.retryAt, { ...delivery, attempts: settled.attempt } satisfies OutboxDelivery);
        const reason = `delivery ${delivery.webhookId} (${delivery.message.type}) failed ${settled.attempt} times, the last: ${settled.error}`;
        log.error({ endpointId: endpoint.endpointId, keyName: endpoint.keyName, webhookId: delivery.webhookId, attempts: settled.attempt, error: settled.error }, `webhook endpoint disabled: ${reason}`);
        return deps.disable(endpoint.endpointId, reason);
      }
      const until = failingUntil.get(endpoint.endpointId);
      if (until !== undefined && until > now.getTime()) {
        // The endpoint is failing: wait for its next try, without spending an attempt.
        return context.schedule(key, new Date(until + Math.floor(deps.random() * deferSpreadMs)), delivery);
      }
      if (!placeFree(placesTaken(), endpoint.endpointId)) return park(context, key, delivery);
      flights.set(key, send(key, endpoint, delivery, now));
      checkAgain();
    },
  };
}

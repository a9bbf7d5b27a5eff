// The platform's webhooks, put together once for openHandoff: the endpoints (events in the store),
// the delivery records (DATA_DIR/webhooks.db), the guarded sender, and what the outbox reactor and
// the metrics need of them.
import type { Config } from "../config.ts";
import { defaultRetryDelaysMs } from "../domain/webhooks.ts";
import { parseGiveawayEvent } from "../domain/events.ts";
import { giveawayStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore } from "../eventstore/port.ts";
import { proposalFromStore } from "../reactors/proposalLookup.ts";
import { outboundPoster } from "../outbound/outboundPost.ts";
import { openWebhookDeliveries, webhookDeliveriesFile } from "../reactors/webhookDeliveries.ts";
import type { WebhookOutboxDeps } from "../reactors/webhookOutboxReactor.ts";
import { createWebhookEndpoints, type WebhookEndpoints } from "./webhookEndpoints.ts";
import { startWebhookOutboxGauges } from "./webhookOutboxStatus.ts";

export interface WebhooksPart {
  endpoints: WebhookEndpoints;
  outbox: WebhookOutboxDeps;
  /** Once the durable reactors run: the outbox's gauges follow reactors.db. */
  startGauges(): void;
  close(): void;
}

export function openWebhooks(config: Config, deps: { store: EventStore; newId: () => string; now: () => Date }): WebhooksPart {
  const deliveries = openWebhookDeliveries(webhookDeliveriesFile(config.dataDir));
  const policy = { allowPrivate: config.outboundAllowPrivate };
  const endpoints = createWebhookEndpoints({ ...deps, policy, deliveries });
  let gauges: { stop(): void } | undefined;
  return {
    endpoints,
    outbox: {
      endpoints: endpoints.state,
      disable: endpoints.disable,
      deliveries,
      poster: outboundPoster(policy, { timeoutMs: config.webhooks.timeoutMs }),
      retryDelaysMs: config.webhooks.retryDelaysMs ?? defaultRetryDelaysMs,
      random: Math.random,
      now: deps.now,
      platformGiveawayId: platformIdsOf(deps.store),
      agreedProposal: proposalsOf(deps.store),
    },
    startGauges() {
      gauges ??= startWebhookOutboxGauges({ store: deps.store, dataDir: config.dataDir });
    },
    close() {
      gauges?.stop();
      deliveries.close();
    },
  };
}

/** Giveaways whose platform id is remembered (a giveaway's creation never changes). */
const rememberedGiveaways = 10_000;

/** The platform's id of a giveaway, from its first event (GiveawayCreated), remembered. */
function platformIdsOf(store: EventStore): (giveawayId: string) => Promise<string | null> {
  const known = new Map<string, string | null>();
  return async (giveawayId) => {
    const remembered = known.get(giveawayId);
    if (remembered !== undefined) return remembered;
    let platformId: string | null = null;
    try {
      const [created] = await store.readStream(giveawayStream(giveawayId), { maxCount: 1 });
      const event = created && parseGiveawayEvent(created.type, created.data);
      if (event?.type === "GiveawayCreated") platformId = event.data.platformId ?? null;
    } catch (error) {
      if (!hasErrorCode(error, "stream_not_found")) throw error;
    }
    if (known.size >= rememberedGiveaways) known.clear();
    known.set(giveawayId, platformId);
    return platformId;
  };
}

/** A proposal's window and place (proposalLookup.ts). */
function proposalsOf(store: EventStore): WebhookOutboxDeps["agreedProposal"] {
  const find = proposalFromStore(store);
  return async (giveawayId, proposalId, beforeRevision) => {
    const proposal = await find(giveawayId, proposalId, beforeRevision);
    return proposal && { from: proposal.from, to: proposal.to, place: proposal.place };
  };
}

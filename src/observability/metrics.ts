// The process's Prometheus metrics (prom-client), named in one place so every part records into
// the same series. Served by GET /metrics; each is described in docs/operations.md.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: "handoff_process_" });

const registers = [metricsRegistry];

/** Read at each scrape for handoff_mails_waiting (the e-mail part sets it while it runs). */
let mailsWaitingSource: (() => number) | undefined;
export function countMailsWaitingWith(source: (() => number) | undefined): void {
  mailsWaitingSource = source;
}

export const metrics = {
  openStreams: new Gauge({
    name: "handoff_open_streams",
    help: "Open server-sent event streams, by kind (conversation, notifications; api or page).",
    labelNames: ["kind"] as const,
    registers,
  }),
  eventsAppended: new Counter({
    name: "handoff_events_appended_total",
    help: "Events written to the event store, by stream category (giveaway, user, ...) and outcome (written, deduplicated).",
    labelNames: ["category", "outcome"] as const,
    registers,
  }),
  appendSeconds: new Histogram({
    name: "handoff_append_seconds",
    help: "Time from an append's call to its durable acknowledgement.",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  }),
  projectionLagEvents: new Gauge({
    name: "handoff_projection_lag_events",
    help: "Events in the log that a projection has not applied yet (0 when caught up).",
    labelNames: ["projection"] as const,
    registers,
  }),
  projectionFailures: new Counter({
    name: "handoff_projection_failures_total",
    help: "Times a projection stopped on an event it could not apply.",
    labelNames: ["projection"] as const,
    registers,
  }),
  reactorFailures: new Counter({
    name: "handoff_reactor_failures_total",
    help: "Durable reactors' failures, by reactor and kind: attempt (a handler threw; tried again), stopped (stopped on an event until the operator's retry or skip), wake (a wake-up threw; tried again).",
    labelNames: ["reactor", "kind"] as const,
    registers,
  }),
  deliveries: new Counter({
    name: "handoff_sse_deliveries_total",
    help: "Frames handed to stream clients, by stream kind.",
    labelNames: ["kind"] as const,
    registers,
  }),
  slowConsumersDropped: new Counter({
    name: "handoff_slow_consumers_dropped_total",
    help: "Stream clients dropped because their unsent frames passed the bound (they resume by Last-Event-ID).",
    labelNames: ["kind"] as const,
    registers,
  }),
  rateLimitRefusals: new Counter({
    name: "handoff_rate_limit_refusals_total",
    help: "Requests refused with 429, by limit name.",
    labelNames: ["limit"] as const,
    registers,
  }),
  httpRequests: new Counter({
    name: "handoff_http_requests_total",
    help: "HTTP requests answered, by route pattern, method and status.",
    labelNames: ["route", "method", "status"] as const,
    registers,
  }),
  webhookDeliveries: new Counter({
    name: "handoff_webhook_deliveries_total",
    help: "Webhook delivery attempts, by outcome: sent (a 2xx), failed (anything else), retried (a failure tried again later), given_up (failed past the schedule: the endpoint is disabled).",
    labelNames: ["outcome"] as const,
    registers,
  }),
  webhookDeliveriesWaiting: new Gauge({
    name: "handoff_webhook_deliveries_waiting",
    help: "Webhook deliveries in the outbox: due now or waiting for their next try.",
    registers,
  }),
  webhookOutboxLagEvents: new Gauge({
    name: "handoff_webhook_outbox_lag_events",
    help: "Events in the log the webhook outbox has not taken in yet (0 when caught up), like a projection's lag.",
    registers,
  }),
  pushes: new Counter({
    name: "handoff_pushes_total",
    help: "Web Push sends, by outcome: sent (the push service took it), failed (refused for good, or given up after the retries), retried (tried again later), gone (404/410: the subscription ended).",
    labelNames: ["outcome"] as const,
    registers,
  }),
  pushesWaiting: new Gauge({
    name: "handoff_pushes_waiting",
    help: "Web Push sends this process holds for a later try (stored wake-ups of the web-push reactor).",
    registers,
  }),
  mails: new Counter({
    name: "handoff_mails_total",
    help: "Mails handed to the SMTP server, by kind (digest, verification) and outcome: sent, failed (the server refused or could not be reached; tried again later), retried (a send after a failure).",
    labelNames: ["kind", "outcome"] as const,
    registers,
  }),
  mailsWaiting: new Gauge({
    name: "handoff_mails_waiting",
    help: "Digests scheduled and not sent yet (stored wake-ups of the email-digests reactor in reactors.db).",
    registers,
    collect() {
      if (mailsWaitingSource) this.set(mailsWaitingSource());
    },
  }),
  mailsReceived: new Counter({
    name: "handoff_mails_received_total",
    help: "Replies by e-mail, by outcome: stored (in the conversation, or already there) or refused (550: forged or expired address, unknown sender, closed conversation).",
    labelNames: ["outcome"] as const,
    registers,
  }),
  httpRequestSeconds: new Histogram({
    name: "handoff_http_request_seconds",
    help: "Time to answer an HTTP request (streams: time to their first byte), by route pattern.",
    labelNames: ["route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  }),
};

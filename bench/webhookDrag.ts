// Figure: does a webhook receiver that never answers slow the sends? handoff only. Each round starts
// a fresh server (the production build) three times, in a rotated order: with no webhook endpoint,
// with a receiver on loopback that answers 204 at once, and with one that never answers, each
// registered for every event type (so each send becomes a delivery; the never-answered ones wait out
// WEBHOOK_TIMEOUT_MS, then their retries). The same closed-loop
// senders send a bounded number of messages in each; the figure is the send answer times (p50, p99,
// max) and the rate, and how many deliveries were still waiting when the senders finished. Bounded:
// 8 senders x 250 messages (50 at BENCH_SCALE=quick) per server, 3 rounds (BENCH_ROUNDS).
// Loopback only (OUTBOUND_ALLOW_PRIVATE=true for the receiver). Run: node --import tsx bench/webhookDrag.ts
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createServiceKeys } from "../src/app/serviceKeys.ts";
import { readWebhookOutboxStatus } from "../src/app/webhookOutboxStatus.ts";
import { openSqliteEventStore } from "../src/eventstore/sqlite.ts";
import { bearer, createConversations, createUsers, type BenchConversation } from "./drivers/handoffSetup.ts";
import { makeBenchDir } from "./lib/benchDir.ts";
import { keepAliveAgent, postJson } from "./lib/httpPost.ts";
import { loadNow } from "./lib/machine.ts";
import { round3, saveFigure } from "./lib/results.ts";
import { currentScale } from "./lib/scale.ts";
import { summarize } from "./lib/stats.ts";
import { startSystem } from "./systems/systems.ts";

type Mode = "no endpoint" | "answering endpoint" | "never-answering endpoint";
const modes: Mode[] = ["no endpoint", "answering endpoint", "never-answering endpoint"];

export interface WebhookDragRow {
  mode: Mode;
  round: number;
  messages: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
  /** Deliveries stored and not done when the senders finished (0 without an endpoint). */
  waitingAfter: number;
}

const scale = currentScale();
const rounds = process.env.BENCH_ROUNDS ? Number(process.env.BENCH_ROUNDS) : scale.name === "quick" ? 1 : 3;
/** Concurrent senders, each on its own conversation; every one sends `perSender` messages, one after another. */
const senders = 8;
const perSender = scale.name === "quick" ? 50 : 250;
const warmupPerSender = 10;

/** Accepts connections and requests; answers each with 204 at once, or never (until closed). */
async function receiver(answers: boolean): Promise<{ url: string; requests(): number; close(): Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    if (answers) request.resume().on("end", () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    requests: () => requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The deliveries stored and not done, read from reactors.db itself (the gauge is sampled every 5 s: a short run ends before it). */
function waitingDeliveries(dataDir: string): number {
  return readWebhookOutboxStatus(dataDir)?.waiting ?? 0;
}

async function sendAll(conversations: BenchConversation[], count: number, samples: number[] | undefined): Promise<number> {
  const agent = keepAliveAgent(conversations.length);
  let failed = 0;
  await Promise.all(
    conversations.map(async (conversation) => {
      for (let n = 0; n < count; n++) {
        const started = performance.now();
        const result = await postJson(agent, `${conversationUrl(conversation)}/messages`, bearer(conversation.giver), { content: `drag ${n}`, id: crypto.randomUUID() });
        samples?.push(performance.now() - started);
        if (result.status !== 201) failed += 1;
      }
    }),
  );
  agent.destroy();
  return failed;
}

let baseUrl = "";
const conversationUrl = (conversation: BenchConversation) => `${baseUrl}/api/giveaways/${conversation.giveawayId}`;

async function measure(mode: Mode, round: number): Promise<WebhookDragRow> {
  const dir = makeBenchDir("webhookdrag");
  // The platform's service key, written to the store before the server opens it.
  const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  const key = await createServiceKeys({ store, newId: () => crypto.randomUUID(), now: () => new Date() }).create("bench-platform");
  await store.close();
  const system = await startSystem("handoff", { dataDir: dir.path, env: { OUTBOUND_ALLOW_PRIVATE: "true" } });
  const endpoint = mode === "no endpoint" ? undefined : await receiver(mode === "answering endpoint");
  try {
    baseUrl = system.url;
    if (endpoint) {
      const events = ["message.sent", "message.edited", "message.removed", "message.read", "giveaway.drawn", "giveaway.redrawn", "pickup.agreed", "giveaway.completed", "giveaway.cancelled"];
      const created = await postJson(false, `${system.url}/api/platform/webhooks`, { Authorization: `Bearer ${key}`, "Idempotency-Key": crypto.randomUUID() }, { url: endpoint.url, events });
      if (created.status !== 201) throw new Error(`registering the endpoint: ${created.status} ${created.body}`);
    }
    const users = await createUsers(system.url, senders * 2);
    const conversations = await createConversations(system.url, users, senders);
    await sendAll(conversations, warmupPerSender, undefined);
    const samples: number[] = [];
    const started = performance.now();
    const failed = await sendAll(conversations, perSender, samples);
    const seconds = (performance.now() - started) / 1000;
    const waitingAfter = waitingDeliveries(dir.path);
    const summary = summarize(samples);
    return { mode, round, messages: samples.length, perSecond: samples.length / seconds, p50: summary.p50, p99: summary.p99, max: summary.max, failed, waitingAfter };
  } finally {
    await system.stop();
    await endpoint?.close();
    dir.remove();
  }
}

const began = performance.now();
const load: number[] = [];
const rows: WebhookDragRow[] = [];
for (let round = 0; round < rounds; round++) {
  load.push(loadNow());
  for (const mode of [...modes.slice(round % modes.length), ...modes.slice(0, round % modes.length)]) {
    const row = await measure(mode, round);
    rows.push(row);
    process.stdout.write(
      `round ${round} ${mode}: ${row.messages} sends, ${round3(row.perSecond)}/s, p50 ${round3(row.p50)} ms, p99 ${round3(row.p99)} ms, max ${round3(row.max)} ms, failed ${row.failed}, deliveries waiting after ${row.waitingAfter}\n`,
    );
  }
}
saveFigure("webhookDrag", scale.name, (performance.now() - began) / 1000, { senders, perSender, rows }, load);

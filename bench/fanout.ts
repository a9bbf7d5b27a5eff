// Figure: fan-out latency. One conversation, N subscribers in separate processes, a message every
// few ms; latency from the send to its receipt at every subscriber, on one corrected clock.
import { fileURLToPath } from "node:url";
import { forkWorker, type Worker } from "./lib/childProcess.ts";
import { sleep } from "./lib/clock.ts";
import { currentScale, type FanoutLevel, type Scale } from "./lib/scale.ts";
import { round3, saveFigure } from "./lib/results.ts";
import { concatSamples, spread, summarize, type LatencySummary, type Spread } from "./lib/stats.ts";
import { loadNow } from "./lib/machine.ts";
import { bearer, createConversation, createUsers } from "./drivers/handoffSetup.ts";
import type { SenderTarget, SubscriberTarget } from "./drivers/targets.ts";
import { rotated, startSystem, systemNames, type RunningSystem, type SystemName } from "./systems/systems.ts";

export interface FanoutRow extends LatencySummary {
  level: FanoutLevel["name"];
  /** The round (per-round rows); absent on the rows pooled over every round. */
  round?: number;
  system: SystemName;
  subscribers: number;
  messages: number;
  intervalMs: number;
  /** Receipts expected (subscribers x counted messages) and seen; a shortfall is a lost message. */
  expected: number;
  received: number;
  /** How long the sender waited for each answer (POST response or ack), ms. */
  answerP50: number;
  answerP99: number;
  errors: string[];
  /** Largest clock correction applied between processes, ms. */
  clockCorrectionMs: number;
  /** CPU time per message while sending (ms): the server's, and all subscriber processes' together. */
  serverCpuMsPerMessage: number;
  clientCpuMsPerMessage: number;
}

/** Over the rounds of one level, N and system: each round's p99 and POST answer p99. */
export interface FanoutSpread {
  level: FanoutLevel["name"];
  system: SystemName;
  subscribers: number;
  p99: Spread;
  answerP99: Spread;
}

interface CpuPerMessage {
  server: number;
  clients: number;
}

const connectionsPerProcess = 2500;

async function targetsFor(system: RunningSystem): Promise<{ subscriber: SubscriberTarget; sender: SenderTarget }> {
  switch (system.name) {
    case "limit":
    case "durable":
      return {
        subscriber: { kind: "sse", url: `${system.url}/stream`, headers: [{}] },
        sender: { kind: "http", url: `${system.url}/publish`, headers: {}, withId: false },
      };
    case "socketio":
      return {
        subscriber: { kind: "socketio", url: system.url, room: "conversation" },
        sender: { kind: "socketio", url: system.url, room: "conversation", event: "send" },
      };
    case "handoff": {
      const [giver, winner] = await createUsers(system.url, 2);
      const { giveawayId } = await createConversation(system.url, giver!, winner!);
      return {
        // The conversation's two participants, each with many tabs and devices open.
        subscriber: { kind: "sse", url: `${system.url}/api/giveaways/${giveawayId}/stream`, headers: [bearer(giver!), bearer(winner!)] },
        sender: { kind: "http", url: `${system.url}/api/giveaways/${giveawayId}/messages`, headers: bearer(giver!), withId: true },
      };
    }
  }
}

interface Measured {
  row: FanoutRow;
  cpu: CpuPerMessage;
  samples: Float64Array;
  answers: Float64Array;
}

async function measure(name: SystemName, subscribers: number, level: FanoutLevel, round: number): Promise<Measured> {
  const { messages, warmup, intervalMs } = level;
  const interval = intervalMs(subscribers);
  const system = await startSystem(name);
  const workers: Worker[] = [];
  try {
    const { subscriber, sender: senderTarget } = await targetsFor(system);
    const processes = Math.ceil(subscribers / connectionsPerProcess);
    const subscriberWorkers = await Promise.all(Array.from({ length: processes }, () => forkWorker(new URL("./drivers/subscribers.ts", import.meta.url))));
    workers.push(...subscriberWorkers);
    const sender = await forkWorker(new URL("./drivers/sender.ts", import.meta.url));
    workers.push(sender);

    await Promise.all(
      subscriberWorkers.map((worker, index) => {
        const count = Math.floor(subscribers / processes) + (index < subscribers % processes ? 1 : 0);
        return worker.request("open", { target: subscriber, count });
      }),
    );
    await sleep(500); // every subscription registered, the open burst's garbage collected
    const corrections = subscriberWorkers.map((worker) => sender.clockOffset - worker.clockOffset);
    await Promise.all(subscriberWorkers.map((worker, index) => worker.request("start", { correction: corrections[index], warmup })));

    const cpuOf = () => Promise.all([system.worker.request<number>("cpu"), ...subscriberWorkers.map((worker) => worker.request<number>("cpu"))]);
    const cpuBefore = await cpuOf();
    const sent = await sender.request<{ answerMs: Float64Array; errors: string[]; errorCount: number }>(
      "send",
      { target: senderTarget, count: messages, intervalMs: interval },
      messages * interval + 120_000,
    );
    // Let the last fan-outs arrive: bounded, a lost message must not hang the run.
    const deadline = Date.now() + 15_000;
    let received = 0;
    while (Date.now() < deadline) {
      const progress = await Promise.all(subscriberWorkers.map((worker) => worker.request<number>("progress")));
      received = progress.reduce((sum, value) => sum + value, 0);
      if (received >= subscribers * messages /* warm-up included */) break;
      await sleep(100);
    }
    const cpuAfter = await cpuOf();
    const cpuUsed = cpuAfter.map((after, index) => after - cpuBefore[index]!);
    const cpu = { server: cpuUsed[0]! / messages, clients: cpuUsed.slice(1).reduce((sum, ms) => sum + ms, 0) / messages };
    const collected = await Promise.all(
      subscriberWorkers.map((worker) => worker.request<{ latencies: Float64Array; received: number; failures: string[]; failureCount: number }>("collect")),
    );
    const samples = concatSamples(collected.map((c) => c.latencies));
    const errors = [...sent.errors, ...collected.flatMap((c) => c.failures)];
    return {
      row: { round, ...rowOf(level.name, name, subscribers, messages - warmup, interval, samples, sent.answerMs, errors, Math.max(...corrections.map(Math.abs)), cpu) },
      cpu,
      samples,
      answers: sent.answerMs,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await system.stop();
  }
}

function rowOf(
  level: FanoutLevel["name"],
  system: SystemName,
  subscribers: number,
  messages: number,
  intervalMs: number,
  samples: Float64Array,
  answerMs: Float64Array,
  errors: string[],
  clockCorrectionMs: number,
  cpu: CpuPerMessage,
): FanoutRow {
  const latency = summarize(samples);
  const answers = summarize(answerMs);
  return {
    level,
    system,
    subscribers,
    messages,
    intervalMs,
    ...latency,
    expected: subscribers * messages,
    received: latency.count,
    answerP50: answers.p50,
    answerP99: answers.p99,
    errors: errors.slice(0, 5),
    clockCorrectionMs,
    serverCpuMsPerMessage: cpu.server,
    clientCpuMsPerMessage: cpu.clients,
  };
}

export async function runFanout(scale: Scale = currentScale()) {
  const started = Date.now();
  const raw: Measured[] = [];
  const rows: FanoutRow[] = [];
  const spreads: FanoutSpread[] = [];
  const load: number[] = [];
  for (const level of scale.fanout.levels) {
    const measured: Measured[] = [];
    for (let round = 0; round < level.rounds; round++) {
      load.push(loadNow());
      for (const [index, subscribers] of scale.fanout.subscribers.entries()) {
        for (const name of rotated(round + index)) {
          const run = await measure(name, subscribers, level, round);
          const row = run.row;
          console.log(
            `fanout ${level.name} round ${round} ${name} N=${subscribers} every ${row.intervalMs} ms: p50 ${round3(row.p50)} ms, p99 ${round3(row.p99)} ms, max ${round3(row.max)} ms, ` +
              `answer p99 ${round3(row.answerP99)} ms, cpu/msg server ${round3(row.serverCpuMsPerMessage)} ms clients ${round3(row.clientCpuMsPerMessage)} ms ` +
              `(${row.received}/${row.expected} receipts${row.errors.length ? `, errors: ${row.errors[0]}` : ""})`,
          );
          measured.push(run);
        }
      }
    }
    raw.push(...measured);
    for (const subscribers of scale.fanout.subscribers) {
      for (const name of systemNames) {
        // Rounds pooled: percentiles over every receipt of every round.
        const runs = measured.filter(({ row }) => row.system === name && row.subscribers === subscribers);
        if (runs.length === 0) continue;
        spreads.push({ level: level.name, system: name, subscribers, p99: spread(runs.map((run) => run.row.p99)), answerP99: spread(runs.map((run) => run.row.answerP99)) });
        const first = runs[0]!.row;
        rows.push(
          rowOf(
            level.name,
            name,
            subscribers,
            first.messages * runs.length,
            first.intervalMs,
            concatSamples(runs.map((run) => run.samples)),
            concatSamples(runs.map((run) => run.answers)),
            runs.flatMap((run) => run.row.errors),
            Math.max(...runs.map((run) => run.row.clockCorrectionMs)),
            {
              server: runs.reduce((sum, run) => sum + run.cpu.server, 0) / runs.length,
              clients: runs.reduce((sum, run) => sum + run.cpu.clients, 0) / runs.length,
            },
          ),
        );
      }
    }
    // The samples are large (N x messages): only the rows are kept past their level.
    for (const run of measured) run.samples = new Float64Array(0);
  }
  return saveFigure("fanout", scale.name, (Date.now() - started) / 1000, { rows, spreads, rounds: raw.map((run) => run.row) }, load);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runFanout();
  process.exit(0);
}

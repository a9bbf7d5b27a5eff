// Figure: durable throughput. Closed-loop senders across many conversations, the load raised step
// by step until the p99 answer time passes 50 ms; a round's figure is the best rate with p99 under
// it. Every round measures every system on a fresh server, in a rotated order.
import { fileURLToPath } from "node:url";
import { forkWorker } from "./lib/childProcess.ts";
import { currentScale, type Scale } from "./lib/scale.ts";
import { round3, saveFigure } from "./lib/results.ts";
import { spread, summarize, type Spread } from "./lib/stats.ts";
import { loadNow } from "./lib/machine.ts";
import { bearer, createConversations, createUsers } from "./drivers/handoffSetup.ts";
import type { LoadResult } from "./drivers/postLoad.ts";
import type { SenderTarget } from "./drivers/targets.ts";
import { rotated, startSystem, systemNames, type RunningSystem, type SystemName } from "./systems/systems.ts";

export interface ThroughputStep {
  system: SystemName;
  round: number;
  concurrency: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
  serverCpuShare: number;
  errors: string[];
}

export interface ThroughputBest {
  system: SystemName;
  round: number;
  /** The highest rate among steps whose p99 stayed within the limit (0 when none did). */
  perSecond: number;
  p99: number;
  concurrency: number;
}

/** Over the rounds, per system: the best rate and the p99 at it. */
export interface ThroughputSummary {
  system: SystemName;
  perSecond: Spread;
  p99: Spread;
}

async function targetsFor(system: RunningSystem, scale: Scale): Promise<SenderTarget[]> {
  switch (system.name) {
    case "limit":
    case "durable":
      return [{ kind: "http", url: `${system.url}/messages`, headers: {}, withId: false }];
    case "socketio":
      return [{ kind: "socketio", url: system.url, room: "conversation", event: "post" }];
    case "handoff": {
      const users = await createUsers(system.url, 16);
      const conversations = await createConversations(system.url, users, scale.throughput.conversations);
      return conversations.map((conversation) => ({
        kind: "http",
        url: `${system.url}/api/giveaways/${conversation.giveawayId}/messages`,
        headers: bearer(conversation.giver),
        withId: true,
      }));
    }
  }
}

async function measure(name: SystemName, round: number, scale: Scale): Promise<ThroughputStep[]> {
  const { concurrency: steps, stepSeconds, warmupSeconds, p99LimitMs } = scale.throughput;
  const system = await startSystem(name);
  const driver = await forkWorker(new URL("./drivers/postLoad.ts", import.meta.url));
  const results: ThroughputStep[] = [];
  try {
    const targets = await targetsFor(system, scale);
    for (const concurrency of steps) {
      const cpuBefore = await system.worker.request<number>("cpu");
      const load = await driver.request<LoadResult>("run", { targets, concurrency, durationMs: stepSeconds * 1000, warmupMs: warmupSeconds * 1000 });
      const cpuUsed = (await system.worker.request<number>("cpu")) - cpuBefore;
      const latency = summarize(load.latencies);
      const step: ThroughputStep = {
        system: name,
        round,
        concurrency,
        perSecond: load.accepted / load.seconds,
        p50: latency.p50,
        p99: latency.p99,
        max: latency.max,
        failed: load.failed,
        serverCpuShare: cpuUsed / ((stepSeconds + warmupSeconds) * 1000),
        errors: load.errors,
      };
      results.push(step);
      console.log(
        `throughput round ${round} ${name} c=${concurrency}: ${Math.round(step.perSecond)}/s, p50 ${round3(step.p50)} ms, p99 ${round3(step.p99)} ms, ` +
          `server cpu ${Math.round(step.serverCpuShare * 100)}%${step.failed ? `, ${step.failed} failed: ${step.errors[0]}` : ""}`,
      );
      if (!(step.p99 <= p99LimitMs)) break; // past the latency limit: more load only queues
    }
  } finally {
    await driver.stop();
    await system.stop();
  }
  return results;
}

export function bestStep(steps: ThroughputStep[], p99LimitMs: number): ThroughputBest | undefined {
  if (steps.length === 0) return undefined;
  const within = steps.filter((step) => step.p99 <= p99LimitMs && step.failed === 0);
  const best = within.sort((a, b) => b.perSecond - a.perSecond)[0];
  return { system: steps[0]!.system, round: steps[0]!.round, perSecond: best?.perSecond ?? 0, p99: best?.p99 ?? NaN, concurrency: best?.concurrency ?? 0 };
}

export async function runThroughput(scale: Scale = currentScale()) {
  const started = Date.now();
  const steps: ThroughputStep[] = [];
  const best: ThroughputBest[] = [];
  const load: number[] = [];
  for (let round = 0; round < scale.throughput.rounds; round++) {
    load.push(loadNow());
    for (const name of rotated(round + 1)) {
      const measured = await measure(name, round, scale);
      steps.push(...measured);
      const roundBest = bestStep(measured, scale.throughput.p99LimitMs);
      if (roundBest) best.push(roundBest);
    }
  }
  const summary: ThroughputSummary[] = systemNames
    .map((name) => best.filter((row) => row.system === name))
    .filter((rows) => rows.length > 0)
    .map((rows) => ({ system: rows[0]!.system, perSecond: spread(rows.map((row) => row.perSecond)), p99: spread(rows.map((row) => row.p99)) }));
  for (const row of summary) console.log(`throughput ${row.system}: best rate median ${Math.round(row.perSecond.median)}/s [${Math.round(row.perSecond.min)} – ${Math.round(row.perSecond.max)}]`);
  return saveFigure(
    "throughput",
    scale.name,
    (Date.now() - started) / 1000,
    { p99LimitMs: scale.throughput.p99LimitMs, conversations: scale.throughput.conversations, rounds: scale.throughput.rounds, steps, best, summary },
    load,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runThroughput();
  process.exit(0);
}

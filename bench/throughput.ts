// Figure: durable throughput. Closed-loop senders across many conversations, the load raised step
// by step until the p99 answer time passes 50 ms; the figure is the best rate with p99 under it.
import { fileURLToPath } from "node:url";
import { forkWorker } from "./lib/childProcess.ts";
import { currentScale, type Scale } from "./lib/scale.ts";
import { round3, saveFigure } from "./lib/results.ts";
import { summarize } from "./lib/stats.ts";
import { bearer, createConversations, createUsers } from "./drivers/handoffSetup.ts";
import type { LoadResult } from "./drivers/postLoad.ts";
import type { SenderTarget } from "./drivers/targets.ts";
import { rotated, startSystem, type RunningSystem, type SystemName } from "./systems/systems.ts";

export interface ThroughputStep {
  system: SystemName;
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
  /** The highest rate among steps whose p99 stayed within the limit (0 when none did). */
  perSecond: number;
  p99: number;
  concurrency: number;
}

async function targetsFor(system: RunningSystem, scale: Scale): Promise<SenderTarget[]> {
  switch (system.name) {
    case "limit":
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

async function measure(name: SystemName, scale: Scale): Promise<ThroughputStep[]> {
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
        `throughput ${name} c=${concurrency}: ${Math.round(step.perSecond)}/s, p50 ${round3(step.p50)} ms, p99 ${round3(step.p99)} ms, ` +
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
  return { system: steps[0]!.system, perSecond: best?.perSecond ?? 0, p99: best?.p99 ?? NaN, concurrency: best?.concurrency ?? 0 };
}

export async function runThroughput(scale: Scale = currentScale()) {
  const started = Date.now();
  const steps: ThroughputStep[] = [];
  for (const name of rotated(1)) steps.push(...(await measure(name, scale)));
  const best = (["limit", "socketio", "handoff"] as const)
    .map((name) => bestStep(steps.filter((step) => step.system === name), scale.throughput.p99LimitMs))
    .filter((row): row is ThroughputBest => row !== undefined);
  return saveFigure("throughput", scale.name, (Date.now() - started) / 1000, { p99LimitMs: scale.throughput.p99LimitMs, conversations: scale.throughput.conversations, steps, best });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runThroughput();
  process.exit(0);
}

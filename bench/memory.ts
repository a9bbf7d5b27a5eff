// Figure: memory per idle connection. The server's RSS (after a full GC) before and after 10,000
// idle subscribers connect from separate driver processes, divided by the connections.
import { fileURLToPath } from "node:url";
import { forkWorker, type Worker } from "./lib/childProcess.ts";
import { sleep } from "./lib/clock.ts";
import { currentScale, type Scale } from "./lib/scale.ts";
import { round3, saveFigure } from "./lib/results.ts";
import { bearer, createConversation, createUsers } from "./drivers/handoffSetup.ts";
import type { SubscriberTarget } from "./drivers/targets.ts";
import { rotated, startSystem, systemNames, type RunningSystem, type SystemName } from "./systems/systems.ts";
import { loadNow } from "./lib/machine.ts";
import { spread, type Spread } from "./lib/stats.ts";

export interface MemoryRow {
  system: SystemName;
  round: number;
  connections: number;
  /** As the server counts them, to be sure they are all there. */
  serverConnections: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  rssPerConnectionKiB: number;
  heapPerConnectionKiB: number;
}

const MiB = 2 ** 20;

export async function targetFor(system: RunningSystem): Promise<SubscriberTarget> {
  switch (system.name) {
    case "limit":
    case "durable":
      return { kind: "sse", url: `${system.url}/stream`, headers: [{}] };
    case "socketio":
      return { kind: "socketio", url: system.url, room: "conversation" };
    case "handoff": {
      const [giver, winner] = await createUsers(system.url, 2);
      const { giveawayId } = await createConversation(system.url, giver!, winner!);
      return { kind: "sse", url: `${system.url}/api/giveaways/${giveawayId}/stream`, headers: [bearer(giver!), bearer(winner!)] };
    }
  }
}

export async function openConnections(target: SubscriberTarget, count: number, perProcess: number): Promise<Worker[]> {
  const processes = Math.ceil(count / perProcess);
  const workers = await Promise.all(Array.from({ length: processes }, () => forkWorker(new URL("./drivers/subscribers.ts", import.meta.url))));
  // One process at a time: a burst of 10,000 connects would overflow the listen backlog.
  for (const [index, worker] of workers.entries()) {
    await worker.request("open", { target, count: Math.min(perProcess, count - index * perProcess) });
  }
  return workers;
}

async function measure(name: SystemName, round: number, scale: Scale): Promise<MemoryRow> {
  const { connections, perProcess } = scale.memory;
  const system = await startSystem(name);
  try {
    const target = await targetFor(system);
    // Warm up the connection path (code, first-use allocations) so the baseline has it too.
    const warm = await openConnections(target, 200, 200);
    await sleep(300);
    await Promise.all(warm.map((worker) => worker.request("close")));
    await Promise.all(warm.map((worker) => worker.stop()));
    await sleep(500);
    const before = await system.worker.request<NodeJS.MemoryUsage>("gc").then(() => system.worker.request<NodeJS.MemoryUsage>("memory"));

    const workers = await openConnections(target, connections, perProcess);
    await sleep(2000); // idle: let the open burst's garbage go
    await system.worker.request("gc");
    const after = await system.worker.request<NodeJS.MemoryUsage>("memory");
    const serverConnections = await system.worker.request<number>("connections");
    await Promise.all(workers.map((worker) => worker.stop()));
    return {
      system: name,
      round,
      connections,
      serverConnections,
      rssBeforeMiB: before.rss / MiB,
      rssAfterMiB: after.rss / MiB,
      rssPerConnectionKiB: (after.rss - before.rss) / connections / 1024,
      heapPerConnectionKiB: (after.heapUsed + after.external - before.heapUsed - before.external) / connections / 1024,
    };
  } finally {
    await system.stop();
  }
}

/** Over the rounds, per system: RSS per connection. */
export interface MemorySummary {
  system: SystemName;
  rssPerConnectionKiB: Spread;
  heapPerConnectionKiB: Spread;
}

export async function runMemory(scale: Scale = currentScale()) {
  const started = Date.now();
  const rows: MemoryRow[] = [];
  const load: number[] = [];
  for (let round = 0; round < scale.memory.rounds; round++) {
    load.push(loadNow());
    for (const name of rotated(round + 2)) {
      const row = await measure(name, round, scale);
      console.log(
        `memory round ${round} ${name}: ${row.serverConnections} connections, RSS ${round3(row.rssBeforeMiB)} -> ${round3(row.rssAfterMiB)} MiB, ` +
          `${round3(row.rssPerConnectionKiB)} KiB RSS and ${round3(row.heapPerConnectionKiB)} KiB heap per connection`,
      );
      rows.push(row);
    }
  }
  const summary: MemorySummary[] = systemNames
    .map((name) => rows.filter((row) => row.system === name))
    .filter((list) => list.length > 0)
    .map((list) => ({ system: list[0]!.system, rssPerConnectionKiB: spread(list.map((row) => row.rssPerConnectionKiB)), heapPerConnectionKiB: spread(list.map((row) => row.heapPerConnectionKiB)) }));
  return saveFigure("memory", scale.name, (Date.now() - started) / 1000, { rows, summary }, load);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runMemory();
  process.exit(0);
}

// node --import tsx bench/profile/streamHeap.ts [connections=2000] [system=handoff]
// What an idle stream is made of: a server as the memory figure runs it, a V8 heap snapshot before
// and after `connections` idle subscribers connect, and the growth per connection by object kind.
// The summary behind the memory section of BENCHMARKS.md; snapshots go to the ignored bench/results/profiles.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { heapGrowth, printHeapGrowth } from "../lib/heapSummary.ts";
import { openConnections, targetFor } from "../memory.ts";
import { startSystem, type SystemName } from "../systems/systems.ts";

const connections = Number(process.argv[2] ?? 2000);
const name = (process.argv[3] ?? "handoff") as SystemName;
const dir = join("bench", "results", "profiles");
mkdirSync(dir, { recursive: true });
const system = await startSystem(name);
try {
  const target = await targetFor(system);
  const warm = await openConnections(target, 200, 200);
  await sleep(300);
  await Promise.all(warm.map((worker) => worker.stop()));
  await sleep(500);
  await system.worker.request("gc");
  const before = join(dir, `streams-${name}-before.heapsnapshot`);
  await system.worker.request("heapSnapshot", { file: before });
  const memoryBefore = await system.worker.request<NodeJS.MemoryUsage>("memory");
  const workers = await openConnections(target, connections, 1000);
  await sleep(2000);
  await system.worker.request("gc");
  const memoryAfter = await system.worker.request<NodeJS.MemoryUsage>("memory");
  const after = join(dir, `streams-${name}-after.heapsnapshot`);
  await system.worker.request("heapSnapshot", { file: after });
  await Promise.all(workers.map((worker) => worker.stop()));
  const per = (bytes: number) => (bytes / connections / 1024).toFixed(2);
  console.log(`${name}, ${connections} idle streams: ${per(memoryAfter.rss - memoryBefore.rss)} KiB RSS, ${per(memoryAfter.heapUsed + memoryAfter.external - memoryBefore.heapUsed - memoryBefore.external)} KiB heap per connection`);
  printHeapGrowth(heapGrowth(before, after, connections), "snapshot growth per connection");
} finally {
  await system.stop();
}
process.exit(0);

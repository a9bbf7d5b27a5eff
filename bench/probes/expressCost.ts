// Probe (not a figure; quoted in BENCHMARKS.md's findings): what express alone costs.
//   1. CPU to write one frame to 1,000 SSE responses: plain node:http, re-parented, express.
//   2. V8 heap per idle SSE connection: plain node:http, an express route, nested routers.
//   3. Requests/s of a bare express JSON POST (body parser, nested router, 201 JSON), stores nothing.
// Run: node --import tsx bench/probes/expressCost.ts
import { forkWorker, type Worker } from "../lib/childProcess.ts";
import { sleep } from "../lib/clock.ts";
import { median, summarize } from "../lib/stats.ts";
import type { LoadResult } from "../drivers/postLoad.ts";

const serverUrl = new URL("./expressProbeServer.ts", import.meta.url);
const subscribersUrl = new URL("../drivers/subscribers.ts", import.meta.url);

async function open(server: Worker, path: string, count: number): Promise<Worker> {
  const driver = await forkWorker(subscribersUrl);
  await driver.request("open", { target: { kind: "sse", url: `${server.info.url as string}${path}`, headers: [{}] }, count });
  return driver;
}

async function writeCost() {
  const server = await forkWorker(serverUrl);
  const groups = ["raw", "reparented", "express"] as const;
  const drivers = [];
  for (const group of groups) drivers.push(await open(server, `/${group}`, 1000));
  await sleep(500);
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < 60; round++) {
    for (const group of groups) {
      const ms = await server.request<number>("broadcast", { group });
      if (round >= 10) (samples[group] ??= []).push(ms);
      await sleep(15);
    }
  }
  for (const group of groups) console.log(`write one frame to 1,000 streams, ${group}: ${median(samples[group]!).toFixed(2)} ms CPU (median of 50)`);
  await Promise.all(drivers.map((driver) => driver.stop()));
  await server.stop();
}

async function heapPerConnection() {
  for (const path of ["/raw", "/express", "/api/nested"]) {
    const server = await forkWorker(serverUrl, { nodeFlags: ["--expose-gc"] });
    const warm = await open(server, path, 100);
    await sleep(300);
    await warm.stop();
    await sleep(300);
    await server.request("gc");
    const before = await server.request<NodeJS.MemoryUsage>("memory");
    const driver = await open(server, path, 2000);
    await sleep(1000);
    await server.request("gc");
    const after = await server.request<NodeJS.MemoryUsage>("memory");
    const perConnection = (after.heapUsed + after.external - before.heapUsed - before.external) / 2000 / 1024;
    console.log(`heap per idle SSE connection, ${path}: ${perConnection.toFixed(1)} KiB`);
    await driver.stop();
    await server.stop();
  }
}

async function bareExpressPost() {
  const server = await forkWorker(serverUrl);
  const load = await forkWorker(new URL("../drivers/postLoad.ts", import.meta.url));
  const target = { kind: "http", url: `${server.info.url as string}/api/giveaways/5d1f7c43-2b8e-4d0a-a6c4-3e9b7a2f8c55/messages`, headers: {}, withId: true };
  for (const concurrency of [8, 16, 32]) {
    const cpuBefore = await server.request<number>("cpu");
    const result = await load.request<LoadResult>("run", { targets: [target], concurrency, durationMs: 4000, warmupMs: 500 });
    const cpu = (await server.request<number>("cpu")) - cpuBefore;
    const latency = summarize(result.latencies);
    console.log(
      `bare express POST, ${concurrency} senders: ${Math.round(result.accepted / result.seconds)}/s, p99 ${latency.p99.toFixed(1)} ms, ` +
        `${Math.round((cpu / (result.accepted * (4500 / 4000))) * 1000)} µs CPU per request`,
    );
  }
  await load.stop();
  await server.stop();
}

await writeCost();
await heapPerConnection();
await bareExpressPost();
process.exit(0);

// Figure: catch-up. A client reconnects 1,000 and 10,000 messages behind (Last-Event-ID, or the
// Socket.IO equivalent) and is timed from connecting until it holds every missed message.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openSqliteEventStore } from "../src/eventstore/sqlite.ts";
import { makeBenchDir } from "./lib/benchDir.ts";
import { forkWorker } from "./lib/childProcess.ts";
import { currentScale, type Scale } from "./lib/scale.ts";
import { round3, saveFigure } from "./lib/results.ts";
import { median } from "./lib/stats.ts";
import { signIn } from "./drivers/handoffSetup.ts";
import type { CatchupResult, CatchupTarget } from "./drivers/catchupClient.ts";
import { writeHistory } from "./seed/giveawayHistory.ts";
import { rotated, selectedSystems, startSystem, systemNames, type RunningSystem, type SystemName } from "./systems/systems.ts";
import { loadNow } from "./lib/machine.ts";

export interface CatchupRow {
  system: SystemName;
  behind: number;
  /** Median over the repetitions; each repetition is a fresh connection. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  repetitions: number;
  /** Over all repetitions: times the server dropped the client mid-way. */
  reconnects: number;
}

/** How a client reconnects `behind` messages back from the newest. */
type Reconnect = (behind: number) => CatchupTarget;

async function prepare(name: SystemName, seeded: number): Promise<{ system: RunningSystem; reconnect: Reconnect; remove(): void }> {
  if (name !== "handoff") {
    const system = await startSystem(name);
    const { lastId } = await system.worker.request<{ lastId: number }>("seed", { count: seeded });
    const reconnect: Reconnect = (behind) =>
      name === "limit" || name === "durable"
        ? { kind: "sse", url: `${system.url}/stream`, headers: {}, lastEventId: lastId - behind }
        : { kind: "socketio", url: system.url, room: "conversation", after: lastId - behind };
    return { system, reconnect, remove: () => {} };
  }
  // handoff: the history goes into the store first; the server projects it as it starts.
  const dir = makeBenchDir("catchup");
  const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  const history = await writeHistory(store, { users: 2, giveaways: 1, entrantsPerGiveaway: 1, messagesPerGiveaway: seeded, readEvery: 0 });
  await store.close();
  const system = await startSystem("handoff", { dataDir: dir.path });
  const [giveaway] = history.giveaways;
  const token = await signIn(system.url, giveaway!.winner.username);
  const revisions = giveaway!.messageRevisions;
  const reconnect: Reconnect = (behind) => ({
    kind: "sse",
    url: `${system.url}/api/giveaways/${giveaway!.giveawayId}/stream`,
    headers: { Authorization: `Bearer ${token}` },
    lastEventId: revisions[revisions.length - 1 - behind]!,
  });
  return { system, reconnect, remove: () => dir.remove() };
}

export async function runCatchup(scale: Scale = currentScale()) {
  const started = Date.now();
  const { behind: levels, repetitions } = scale.catchup;
  const seeded = Math.max(...levels) + 100;
  const prepared = new Map<SystemName, Awaited<ReturnType<typeof prepare>>>();
  const client = await forkWorker(new URL("./drivers/catchupClient.ts", import.meta.url));
  const samples = new Map<string, number[]>();
  const reconnects = new Map<string, number>();
  const load: number[] = [];
  try {
    for (const name of selectedSystems()) prepared.set(name, await prepare(name, seeded));
    for (let rep = 0; rep < repetitions + 1; rep++) {
      load.push(loadNow());
      for (const behind of levels) {
        for (const name of rotated(rep)) {
          const result = await client.request<CatchupResult>("catchUp", { target: prepared.get(name)!.reconnect(behind), expect: behind, timeoutMs: 60_000 });
          if (rep === 0) continue; // the first round warms up each server's replay path
          const key = `${name}:${behind}`;
          samples.set(key, [...(samples.get(key) ?? []), result.ms]);
          reconnects.set(key, (reconnects.get(key) ?? 0) + result.reconnects);
        }
      }
    }
  } finally {
    await client.stop();
    for (const { system, remove } of prepared.values()) {
      await system.stop();
      remove();
    }
  }
  const rows: CatchupRow[] = [];
  for (const behind of levels) {
    for (const name of systemNames) {
      const times = samples.get(`${name}:${behind}`);
      if (!times) continue;
      const row = { system: name, behind, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), repetitions: times.length, reconnects: reconnects.get(`${name}:${behind}`) ?? 0 };
      console.log(`catchup ${name} ${behind} behind: median ${round3(row.medianMs)} ms (min ${round3(row.minMs)}, max ${round3(row.maxMs)}, ${row.reconnects} reconnects)`);
      rows.push(row);
    }
  }
  return saveFigure("catchup", scale.name, (Date.now() - started) / 1000, { rows }, load);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCatchup();
  process.exit(0);
}

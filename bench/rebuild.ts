// Figure: rebuild and cold start over 1,000,000 events. The history is written straight into the
// embedded store (seed/giveawayHistory.ts); then the read models are rebuilt from zero, and the
// server is started over the same store, timed until /healthz answers ok. Only handoff has
// projections to rebuild: the limit and Socket.IO keep nothing, so they have no such figure.
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { openSqliteEventStore } from "../src/eventstore/sqlite.ts";
import { makeBenchDir } from "./lib/benchDir.ts";
import { forkWorker } from "./lib/childProcess.ts";
import { compiled, ensureProductionBuild } from "./lib/productionBuild.ts";
import { wallNow } from "./lib/clock.ts";
import { benchDurability } from "./lib/machine.ts";
import { getJson } from "./lib/httpPost.ts";
import { currentScale, type Scale } from "./lib/scale.ts";
import { round3, saveFigure } from "./lib/results.ts";
import { median, spread, type Spread } from "./lib/stats.ts";
import { loadNow } from "./lib/machine.ts";
import { eventsPerGiveaway, writeHistory } from "./seed/giveawayHistory.ts";
import { profileFlags } from "./systems/systems.ts";
import { declaredReadModels } from "../src/app/declaredParts.ts";

export interface RebuildData {
  /** Events in the log, and those the projections follow (giveaway and user streams). */
  logEvents: number;
  projectedEvents: number;
  storeMiB: number;
  seedSeconds: number;
  /** Median round's rebuild time, and events/s over the rounds (each round from zero, in a fresh process). */
  rebuildMs: number;
  eventsPerSecond: number;
  rebuildRuns?: number[];
  eventsPerSecondSpread?: Spread;
  readModels: { messages: number; giveaways: number; users: number };
  /** Process start (fork) to ready, read models already built: median of `repetitions`. */
  coldStartMs: number;
  coldStartRuns: number[];
  /** The part of it inside startServer (the rest is node booting and loading the modules). */
  startServerMs: number;
  /** Process start to ready with no read models at all (a first deploy): rebuild included. */
  coldStartFromZeroMs: number;
  plan: { users: number; giveaways: number; entrantsPerGiveaway: number; messagesPerGiveaway: number; readEvery: number };
}

async function startAndTime(dataDir: string): Promise<{ readyMs: number; startServerMs: number }> {
  ensureProductionBuild(); // before the clock: it compiles once per bench process
  const forkedAt = wallNow();
  const worker = await forkWorker(compiled(new URL("./systems/handoffServer.ts", import.meta.url)), {
    args: [dataDir],
    env: { STORE_DURABILITY: benchDurability() },
    readyTimeoutMs: 600_000,
  });
  try {
    const readyMs = (worker.info.readyAt as number) - worker.clockOffset - forkedAt;
    const health = await getJson(`${worker.info.url as string}/healthz`);
    if (health.status !== 200) throw new Error(`healthz answered ${health.status} once started`);
    return { readyMs, startServerMs: worker.info.startServerMs as number };
  } finally {
    await worker.stop();
  }
}

export async function runRebuild(scale: Scale = currentScale()) {
  const started = Date.now();
  const load: number[] = [];
  const dir = makeBenchDir("rebuild");
  try {
    const shape = { entrantsPerGiveaway: 3, messagesPerGiveaway: scale.rebuild.messagesPerGiveaway, readEvery: 10 };
    const users = Math.max(50, Math.round(scale.rebuild.events / 500));
    const plan = { users, giveaways: Math.ceil((scale.rebuild.events - 2 * users) / eventsPerGiveaway(shape)), ...shape };
    const eventsFile = join(dir.path, "events.db");
    const seedStarted = Date.now();
    const store = openSqliteEventStore({ file: eventsFile, durability: "normal" });
    const history = await writeHistory(store, plan, (events) => process.stdout.write(`\rrebuild: writing history, ${events} events`));
    await store.close();
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    process.stdout.write("\n");

    const log = new Database(eventsFile, { readonly: true });
    const { total, projected } = log
      .prepare<[], { total: number; projected: number }>(
        "SELECT count(*) AS total, sum(substr(stream_id, 1, 9) = 'giveaway-' OR substr(stream_id, 1, 5) = 'user-') AS projected FROM events",
      )
      .get()!;
    log.close();
    if (total !== history.events) throw new Error(`wrote ${history.events} events but the log holds ${total}`);

    const removeReadModels = () => {
      for (const file of ["readmodels.db", "readmodels.db-wal", "readmodels.db-shm"]) {
        if (existsSync(join(dir.path, file))) rmSync(join(dir.path, file));
      }
    };
    const rebuildRuns: number[] = [];
    let counts: RebuildData["readModels"] | undefined;
    for (let round = 0; round < scale.rebuild.rounds; round++) {
      load.push(loadNow());
      removeReadModels();
      ensureProductionBuild();
      const worker = await forkWorker(compiled(new URL("./drivers/rebuildWorker.ts", import.meta.url)), { nodeFlags: profileFlags("handoff") });
      const rebuilt = await worker.request<{ ms: number; counts: RebuildData["readModels"] }>("rebuild", { dataDir: dir.path }, 1_800_000);
      await worker.stop();
      if (counts && JSON.stringify(counts) !== JSON.stringify(rebuilt.counts)) throw new Error(`rebuild round ${round} made ${JSON.stringify(rebuilt.counts)}, round 0 ${JSON.stringify(counts)}`);
      counts = rebuilt.counts;
      rebuildRuns.push(rebuilt.ms);
      console.log(`rebuild round ${round}: ${total} events (${projected} projected) in ${round3(rebuilt.ms)} ms = ${Math.round((projected / rebuilt.ms) * 1000)} events/s`);
    }
    const eventsPerSecondSpread = spread(rebuildRuns.map((ms) => (projected / ms) * 1000));

    const coldStartRuns: number[] = [];
    const startServerRuns: number[] = [];
    for (let i = 0; i < scale.rebuild.coldStarts; i++) {
      const { readyMs, startServerMs } = await startAndTime(dir.path);
      coldStartRuns.push(readyMs);
      startServerRuns.push(startServerMs);
    }
    console.log(`cold start (read models built): ${coldStartRuns.map((ms) => round3(ms)).join(", ")} ms; inside startServer ${startServerRuns.map((ms) => round3(ms)).join(", ")} ms`);

    removeReadModels();
    const fromZero = await startAndTime(dir.path);
    console.log(`cold start (no read models): ${round3(fromZero.readyMs)} ms`);

    const data: RebuildData = {
      logEvents: total,
      projectedEvents: projected,
      storeMiB: statSync(eventsFile).size / 2 ** 20,
      seedSeconds,
      rebuildMs: median(rebuildRuns),
      eventsPerSecond: eventsPerSecondSpread.median,
      rebuildRuns,
      eventsPerSecondSpread,
      readModels: counts!,
      coldStartMs: median(coldStartRuns),
      coldStartRuns,
      startServerMs: median(startServerRuns),
      coldStartFromZeroMs: fromZero.readyMs,
      plan,
    };
    return saveFigure("rebuild", scale.name, (Date.now() - started) / 1000, data, load);
  } finally {
    dir.remove();
  }
}

/**
 * `node --import tsx bench/rebuild.ts --cli [events=100000] [dir] [rounds=2]`: times what `npm run
 * rebuild` runs (rebuildReadModels) in this process over a log written once into `dir` (kept, so
 * runs before and after a change rebuild the same log). Small and bounded, for working on the rebuild.
 */
async function runCliRebuild(args: string[]): Promise<void> {
  const events = Number(args[0] ?? 100_000);
  const dir = args[1] ?? join("/tmp", `handoff-rebuild-${events}`);
  const rounds = Number(args[2] ?? 2);
  mkdirSync(dir, { recursive: true });
  const eventsFile = join(dir, "events.db");
  if (!existsSync(eventsFile)) {
    const shape = { entrantsPerGiveaway: 3, messagesPerGiveaway: 90, readEvery: 10 };
    const users = Math.max(50, Math.round(events / 500));
    const seedStore = openSqliteEventStore({ file: eventsFile, durability: "normal" });
    await writeHistory(seedStore, { users, giveaways: Math.ceil((events - 2 * users) / eventsPerGiveaway(shape)), ...shape });
    await seedStore.close();
  }
  const { rebuildReadModels } = await import("../src/audit/readModelRebuild.ts");
  for (let round = 0; round < rounds; round++) {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(join(dir, `readmodels.db${suffix}`), { force: true });
    const store = openSqliteEventStore({ file: eventsFile, durability: "normal" });
    const cpu = process.cpuUsage();
    const result = await rebuildReadModels({ projections: declaredReadModels, store, dataDir: dir });
    const used = process.cpuUsage(cpu);
    await store.close();
    console.log(
      `rebuild (npm run rebuild's path) round ${round}: ${result.events} events in ${result.seconds.toFixed(2)} s = ${Math.round(result.events / result.seconds)} events/s, CPU ${((used.user + used.system) / 1e6).toFixed(2)} s`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === "--cli") await runCliRebuild(process.argv.slice(3));
  else await runRebuild();
  process.exit(0);
}

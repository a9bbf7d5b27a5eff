// Figure: does a send cost the same at message 10 and at message 100,000 of a conversation? handoff
// only (the limits keep no conversation to grow). One server over a store written straight by the
// seed, holding two conversations: one that already holds `longMessages` messages, one that holds
// `freshMessages`. Every round runs the same closed-loop senders against each, in turn, on one
// conversation; it also records where each core's time went (os.cpus) and the server's share.
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openSqliteEventStore } from "../src/eventstore/sqlite.ts";
import { signIn } from "./drivers/handoffSetup.ts";
import type { LoadResult } from "./drivers/postLoad.ts";
import { makeBenchDir } from "./lib/benchDir.ts";
import { forkWorker } from "./lib/childProcess.ts";
import { loadNow } from "./lib/machine.ts";
import { round3, saveFigure } from "./lib/results.ts";
import { currentScale, type Scale } from "./lib/scale.ts";
import { spread, summarize, type Spread } from "./lib/stats.ts";
import { writeHistory } from "./seed/giveawayHistory.ts";
import { startSystem, type RunningSystem } from "./systems/systems.ts";

export type ConversationKind = "fresh" | "long";

/** One core's time over a measured window, as shares (0–1). */
export interface CoreShare {
  user: number;
  system: number;
  idle: number;
}

export interface SendCostRow {
  kind: ConversationKind;
  round: number;
  /** Messages the conversation held when the round started. */
  messagesBefore: number;
  perSecond: number;
  p50: number;
  p99: number;
  failed: number;
  /** The server process's CPU over the window, in cores (1 = one core busy). */
  serverCores: number;
  /** The load driver's CPU over the window, in cores. */
  driverCores: number;
  cores: CoreShare[];
}

export interface SendCostSummary {
  kind: ConversationKind;
  perSecond: Spread;
  p99: Spread;
}

export interface SendCostData {
  senders: number;
  seconds: number;
  rows: SendCostRow[];
  summary: SendCostSummary[];
}

interface Prepared {
  kind: ConversationKind;
  system: RunningSystem;
  url: string;
  headers: Record<string, string>;
  messages: number;
}

/**
 * Both conversations in one store, served by one server: they differ in their length only. (Each
 * on its own server, the long one's store was also 100,000 events larger, which slows every
 * conversation of a store alike, and the two servers' heaps differed by more than the conversation.)
 */
async function prepare(sizes: Record<ConversationKind, number>): Promise<{ targets: Prepared[]; stop(): Promise<void> }> {
  const dir = makeBenchDir("sendcost");
  const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  const histories = [];
  for (const kind of ["fresh", "long"] as const) {
    const history = await writeHistory(store, { users: 2, giveaways: 1, entrantsPerGiveaway: 1, messagesPerGiveaway: sizes[kind], readEvery: 0 });
    histories.push({ kind, giveaway: history.giveaways[0]! });
  }
  await store.close();
  const system = await startSystem("handoff", { dataDir: dir.path });
  const targets: Prepared[] = [];
  for (const { kind, giveaway } of histories) {
    const token = await signIn(system.url, giveaway.giver.username);
    targets.push({ kind, system, url: `${system.url}/api/giveaways/${giveaway.giveawayId}/messages`, headers: { Authorization: `Bearer ${token}` }, messages: sizes[kind] });
  }
  return {
    targets,
    async stop() {
      await system.stop();
      dir.remove();
    },
  };
}

function coreTimes() {
  return cpus().map((cpu) => ({ ...cpu.times }));
}

function coreShares(before: ReturnType<typeof coreTimes>, after: ReturnType<typeof coreTimes>): CoreShare[] {
  return after.map((end, index) => {
    const start = before[index]!;
    const user = end.user + end.nice - start.user - start.nice;
    const system = end.sys + end.irq - start.sys - start.irq;
    const idle = end.idle - start.idle;
    const total = user + system + idle || 1;
    return { user: user / total, system: system / total, idle: idle / total };
  });
}

export async function runSendCost(scale: Scale = currentScale()) {
  const started = Date.now();
  const { rounds, longMessages, freshMessages, senders, seconds } = scale.sendCost;
  const load: number[] = [];
  const rows: SendCostRow[] = [];
  let prepared: Prepared[] = [];
  let stopSystem = async () => {};
  const driver = await forkWorker(new URL("./drivers/postLoad.ts", import.meta.url));
  try {
    const both = await prepare({ fresh: freshMessages, long: longMessages });
    prepared = both.targets;
    stopSystem = both.stop;
    for (let round = 0; round < rounds; round++) {
      load.push(loadNow());
      for (const target of round % 2 === 0 ? prepared : [...prepared].reverse()) {
        const serverBefore = await target.system.worker.request<number>("cpu");
        const driverBefore = await driver.request<number>("cpu");
        const coresBefore = coreTimes();
        const result = await driver.request<LoadResult>(
          "run",
          { targets: [{ kind: "http", url: target.url, headers: target.headers, withId: true }], concurrency: senders, durationMs: seconds * 1000, warmupMs: 500 },
          120_000,
        );
        const cores = coreShares(coresBefore, coreTimes());
        const windowMs = (seconds + 0.5) * 1000;
        const latency = summarize(result.latencies);
        const row: SendCostRow = {
          kind: target.kind,
          round,
          messagesBefore: target.messages,
          perSecond: result.accepted / result.seconds,
          p50: latency.p50,
          p99: latency.p99,
          failed: result.failed,
          serverCores: ((await target.system.worker.request<number>("cpu")) - serverBefore) / windowMs,
          driverCores: ((await driver.request<number>("cpu")) - driverBefore) / windowMs,
          cores,
        };
        target.messages += result.accepted + Math.round((result.accepted / seconds) * 0.5); // the warm-up's sends too, roughly
        rows.push(row);
        console.log(
          `sendcost round ${round} ${target.kind} (${row.messagesBefore} messages): ${Math.round(row.perSecond)}/s, p99 ${round3(row.p99)} ms, ` +
            `server ${round3(row.serverCores)} cores, driver ${round3(row.driverCores)}, cores ${cores.map((c) => `${Math.round(c.user * 100)}u/${Math.round(c.system * 100)}s`).join(" ")}`,
        );
        if (result.errors.length > 0) console.log(`  errors: ${result.errors.slice(0, 3).join("; ")}`);
      }
    }
  } finally {
    await driver.stop();
    await stopSystem();
  }
  const summary: SendCostSummary[] = (["fresh", "long"] as const).map((kind) => {
    const mine = rows.filter((row) => row.kind === kind);
    return { kind, perSecond: spread(mine.map((row) => row.perSecond)), p99: spread(mine.map((row) => row.p99)) };
  });
  const data: SendCostData = { senders, seconds, rows, summary };
  return saveFigure("sendcost", scale.name, (Date.now() - started) / 1000, data, load);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runSendCost();
  process.exit(0);
}

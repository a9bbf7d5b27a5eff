// The four systems every figure compares, started fresh in their own processes.
import { benchDurability } from "../lib/machine.ts";
import { forkWorker, type Worker } from "../lib/childProcess.ts";
import { makeBenchDir } from "../lib/benchDir.ts";
import { compiled, ensureProductionBuild } from "../lib/productionBuild.ts";

export type SystemName = "limit" | "durable" | "socketio" | "handoff";

export const systemNames: SystemName[] = ["limit", "durable", "socketio", "handoff"];

/** The two limits every handoff figure is divided by: storing nothing, and storing durably. */
export const limitNames = ["limit", "durable"] as const;

export const systemLabels: Record<SystemName, string> = {
  limit: "no-store limit (node:http)",
  durable: "durable limit (node:http + SQLite)",
  socketio: "Socket.IO",
  handoff: "handoff",
};

export interface RunningSystem {
  name: SystemName;
  url: string;
  worker: Worker;
  /** handoff and the durable limit: the data dir (kept until stop). */
  dataDir?: string;
  /** Server RSS in bytes, after a full GC. */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** handoff: start over this data dir (kept) instead of a fresh one (removed on stop). */
  dataDir?: string;
  env?: Record<string, string>;
}

/** `BENCH_PROFILE=1` writes a CPU profile of each handoff process to bench/results/profiles (`all`: every server). */
export function profileFlags(name: SystemName): string[] {
  const profile = process.env.BENCH_PROFILE;
  if (profile !== "all" && (profile !== "1" || name !== "handoff")) return [];
  return ["--cpu-prof", `--cpu-prof-dir=${new URL("../results/profiles/", import.meta.url).pathname}`];
}

export async function startSystem(name: SystemName, options: StartOptions = {}): Promise<RunningSystem> {
  const nodeFlags = ["--expose-gc", ...profileFlags(name)];
  let worker: Worker;
  let dataDir: string | undefined;
  let removeDir = () => {};
  if (name === "handoff" || name === "durable") {
    const dir = options.dataDir ? undefined : makeBenchDir(name);
    dataDir = options.dataDir ?? dir!.path;
    removeDir = () => dir?.remove();
    if (name === "handoff") ensureProductionBuild();
    const file = name === "handoff" ? compiled(new URL("./handoffServer.ts", import.meta.url)) : new URL("./durableLimitServer.ts", import.meta.url);
    worker = await forkWorker(file, {
      args: [dataDir],
      env: { STORE_DURABILITY: benchDurability(), ...options.env },
      nodeFlags,
    });
  } else {
    const file = name === "limit" ? "./limitServer.ts" : "./socketIoServer.ts";
    worker = await forkWorker(new URL(file, import.meta.url), { env: options.env, nodeFlags });
  }
  return {
    name,
    url: worker.info.url as string,
    worker,
    dataDir,
    async rss() {
      await worker.request("gc");
      return worker.request<number>("rss");
    },
    async stop() {
      await worker.stop();
      removeDir();
    },
  };
}

/** The systems in a different order each round, so no system always runs first or last. */
export function rotated(round: number): SystemName[] {
  const shift = round % systemNames.length;
  return [...systemNames.slice(shift), ...systemNames.slice(0, shift)].filter((name) => selectedSystems().includes(name));
}

/** BENCH_SYSTEMS=limit,handoff narrows a run while working on one system; reports need all four. */
export function selectedSystems(): SystemName[] {
  const list = process.env.BENCH_SYSTEMS?.split(",").map((name) => name.trim());
  if (!list) return systemNames;
  for (const name of list) if (!systemNames.includes(name as SystemName)) throw new Error(`BENCH_SYSTEMS: unknown system ${name}`);
  return list as SystemName[];
}

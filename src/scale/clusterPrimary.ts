// WORKERS=<n>|auto: node:cluster runs n server processes on one port. The primary only forks,
// restarts a worker that dies, and passes SIGTERM / SIGINT on; every worker is a whole server
// with its own read models and presence, sharing the store like any other process would.
import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import type { Config } from "../config.ts";
import { componentLogger } from "../observability/logger.ts";

const log = componentLogger("cluster");

export function workerCount(workers: Config["workers"]): number {
  return workers === "auto" ? Math.max(1, availableParallelism()) : workers;
}

/** True in the primary of a multi-worker start: it should run the cluster, not a server. */
export function isClusterPrimary(config: Config): boolean {
  return cluster.isPrimary && workerCount(config.workers) > 1;
}

export function runClusterPrimary(config: Config): void {
  const count = workerCount(config.workers);
  let stopping = false;
  /** A worker that keeps dying right after start is restarted more and more slowly, up to 10 s. */
  let restartDelayMs = 0;

  const fork = () => {
    const worker = cluster.fork();
    const startedAt = Date.now();
    worker.once("exit", (code, signal) => onExit(worker, code, signal, startedAt));
  };

  const onExit = (worker: Worker, code: number | null, signal: string | null, startedAt: number) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    restartDelayMs = Date.now() - startedAt > 10_000 ? 0 : Math.min(10_000, Math.max(250, restartDelayMs * 2));
    log.warn({ workerPid: worker.process.pid, code, signal, restartInMs: restartDelayMs }, "worker exited; starting another");
    setTimeout(fork, restartDelayMs);
  };

  for (let i = 0; i < count; i += 1) fork();
  log.info({ workers: count, port: config.port }, "cluster started");

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
      if (workers.length === 0) process.exit(0);
      for (const worker of workers) worker.process.kill("SIGTERM");
    });
  }
}

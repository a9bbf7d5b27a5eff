// The event loop's side of the append worker (sqliteAppendWorker.ts): sends a group of appends,
// gets the outcomes back. A durable commit waits on fsync, a millisecond or more on this machine's
// disk; on the event loop that millisecond was taken from every request and stream (measured: 1.3 ms
// of each message's 5 ms while fanning out to 100 streams). On a worker it overlaps with them.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { backstopCheckpointPages } from "./walCheckpointer.ts";
import { deserializeAppendError, type AppendErrorData } from "./sqliteAppendErrors.ts";
import type { AppendOutcome, AppendRequest } from "./sqliteAppends.ts";
import { EventStoreError, type AppendResult } from "./port.ts";

export interface AppendThread {
  /** Commits the group on the worker; rejects only when the whole group failed (nothing was written). */
  commit(group: AppendRequest[]): Promise<AppendOutcome[]>;
  /** Waits for the commit in flight, then closes the worker's connection and ends it. */
  close(): Promise<void>;
}

type Answer = { id: number; outcomes: ({ ok: true; result: AppendResult } | { ok: false; error: AppendErrorData })[] } | { id: number; failed: AppendErrorData };

/**
 * The build runs its compiled worker module. Run from source (tests, profiles under tsx) the worker
 * is TypeScript: esbuild (tsx's own compiler) bundles it into CommonJS for an eval worker, rather
 * than a loader in the worker thread: tsx's hooks in worker threads were the suspect of a process
 * test that hung. better-sqlite3 stays outside the bundle, required by its resolved path.
 */
function startWorker(workerData: object): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./sqliteAppendWorker.js", import.meta.url), { execArgv: [], workerData });
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const code = `const loadModule = require; require = (id) => loadModule(id === "better-sqlite3" ? ${JSON.stringify(driver)} : id);\n${bundledWorker()}`;
  return new Worker(code, { eval: true, execArgv: [], workerData });
}

let bundle: string | undefined;
function bundledWorker(): string {
  if (bundle === undefined) {
    const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
    const entry = fileURLToPath(new URL("./sqliteAppendWorker.ts", import.meta.url));
    bundle = esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: "node", format: "cjs", target: "node20", write: false, external: ["better-sqlite3"], logLevel: "silent" }).outputFiles[0]!.text;
  }
  return bundle;
}

export function startAppendThread(file: string, synchronous: "FULL" | "NORMAL", lockTimeoutMs: number): AppendThread {
  const worker = startWorker({ file, synchronous, lockTimeoutMs, autocheckpointPages: backstopCheckpointPages });
  worker.unref();
  let nextId = 0;
  const waiting = new Map<number, { resolve: (outcomes: AppendOutcome[]) => void; reject: (error: Error) => void }>();
  let broken: Error | undefined;

  const fail = (error: Error) => {
    broken = error;
    for (const each of waiting.values()) each.reject(error);
    waiting.clear();
  };
  // Every append from then on fails as the store being away (503 store_unavailable): restart the process.
  worker.on("error", (error) => fail(new EventStoreError("unavailable", `the store's append thread failed: ${error instanceof Error ? error.message : String(error)}`)));
  worker.on("exit", (code) => fail(new EventStoreError("unavailable", `the store's append thread ended (exit code ${code})`)));
  worker.on("message", (answer: Answer) => {
    const entry = waiting.get(answer.id);
    if (!entry) return;
    waiting.delete(answer.id);
    // Idle: the worker must not keep a process alive that has nothing else to do.
    if (waiting.size === 0) worker.unref();
    if ("failed" in answer) return entry.reject(deserializeAppendError(answer.failed));
    entry.resolve(answer.outcomes.map((outcome) => (outcome.ok ? outcome : { ok: false, error: deserializeAppendError(outcome.error) })));
  });

  return {
    commit(group) {
      if (broken) return Promise.reject(broken);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        // Held while a commit is in flight, so its answer arrives before the process may end.
        worker.ref();
        worker.postMessage({ id, group });
      });
    },
    async close() {
      if (broken) return;
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.ref();
      worker.postMessage("close");
      await exited;
    },
  };
}

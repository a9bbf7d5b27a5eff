// Checkpoints a SQLite file's write-ahead log from a worker thread, on the second core. Left to the
// writing connection, a checkpoint runs inside whichever commit passes the WAL's size limit, on the
// event loop: it copies the WAL into the file and fsyncs it, and every request waits (measured: a
// 40 MB read-model checkpoint stalled the loop for 70-90 ms, which alone set the p99 of a busy run).
// A PASSIVE checkpoint from another connection never blocks the writer or its readers.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { componentLogger, errorFields } from "../observability/logger.ts";

export interface WalCheckpointerOptions {
  /** The fsync level of the checkpoint (the file's own: FULL for a durable store). */
  synchronous: "FULL" | "NORMAL";
  /** How often the worker checkpoints what the WAL holds (a checkpoint of an empty WAL costs nothing). */
  intervalMs?: number;
}

export interface WalCheckpointer {
  close(): Promise<void>;
}

/**
 * The writing connection keeps its own autocheckpoint, set high, as the backstop should the worker
 * fall behind or fail to start; in normal running it never reaches it.
 */
export const backstopCheckpointPages = 20_000;

// Plain CommonJS for an eval worker: it runs as is under tsx, vitest and the compiled build alike.
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0, fileMustExist: true });
db.pragma("synchronous = " + workerData.synchronous);
const checkpoint = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    // SQLITE_BUSY: another connection is checkpointing; the next tick tries again.
    if (error && error.code !== "SQLITE_BUSY") parentPort.postMessage({ failed: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

const driver = createRequire(import.meta.url).resolve("better-sqlite3");

export function startWalCheckpointer(file: string, options: WalCheckpointerOptions): WalCheckpointer {
  const log = componentLogger("sqlite");
  const worker = new Worker(workerSource, {
    eval: true,
    // Plain CommonJS: none of the process's flags (a loader such as tsx's --import) is wanted in it.
    execArgv: [],
    workerData: { file, driver, synchronous: options.synchronous, intervalMs: options.intervalMs ?? 200 },
  });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("message", (message: { failed?: string }) => {
    if (message.failed) log.warn({ file, error: message.failed }, "background checkpoint failed (the writer's own checkpoint still runs)");
  });
  worker.on("error", (error) => log.warn({ file, ...errorFields(error) }, "background checkpointer stopped (the writer's own checkpoint still runs)"));
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        // Held while it finishes: an unref'd worker is no reason to stay alive, and a process with
        // nothing else to do would exit in the middle of the caller's close.
        worker.ref();
        worker.postMessage("close");
        await exited;
      })();
      return closing;
    },
  };
}

// Rebuilds every read model from the start of the log into a fresh file, then swaps it in
// (src/projections/bulkRebuild.ts builds it; the projection runner only if an event cannot be applied).
// With servers running, each is asked to take the file (readModelSwap.ts): it catches a copy up to
// the live position and swaps it in while serving; the build itself runs here, not in the servers.
import { randomUUID } from "node:crypto";
import { renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import Database from "better-sqlite3";
import type { EventStore } from "../eventstore/port.ts";
import type { Projection } from "../projections/projection.ts";
import { startProjectionRunner } from "../projections/projectionRunner.ts";
import { openReadModelDatabase } from "../projections/readModelDatabase.ts";
import { describeFailure } from "../projections/projectionStatus.ts";
import { BulkApplyError, buildReadModelsInBulk } from "../projections/bulkRebuild.ts";
import { componentLogger } from "../observability/logger.ts";
import {
  isDatabaseInUse,
  isSlotHeld,
  readSwapAnswer,
  removeDatabaseFiles,
  servedReadModelFiles,
  swapAnswerFile,
  swapRequestFile,
  syncDirectory,
  writeSwapRequest,
  type SwapAnswer,
} from "../projections/readModelSwap.ts";

export { isDatabaseInUse };

const log = componentLogger("rebuild");

export const readModelFileName = "readmodels.db";
export const rebuildFileName = "readmodels.rebuild.db";

export class ReadModelInUseError extends Error {}

export interface RebuildResult {
  /** Events applied to the read models. */
  events: number;
  seconds: number;
  file: string;
  /** Projections that stopped on an event during the rebuild, one line each (npm run projections -- status). */
  stopped: string[];
  /** Online: each serving process's answer (its file swapped in, or why not); empty when none was running. */
  swapped: SwapAnswer[];
}

/** A file held open by something that is not a server (a shell, a script) can be neither replaced nor asked. */
function refuseIfHeldByAnother(target: string): void {
  if (isDatabaseInUse(target) && !isSlotHeld(target)) {
    throw new ReadModelInUseError(`${target} is in use by a program that is not a handoff server: close it, then rebuild`);
  }
}

export async function rebuildReadModels(options: {
  store: EventStore;
  dataDir: string;
  /** The read models (the declared list, src/app/declaredParts.ts). */
  projections: readonly Projection[];
  onProgress?: (events: number) => void;
  batchSize?: number;
  /** How long the serving processes are given to catch their copy up and swap it in. */
  swapTimeoutMs?: number;
}): Promise<RebuildResult> {
  const target = join(options.dataDir, readModelFileName);
  const fresh = join(options.dataDir, rebuildFileName);
  refuseIfHeldByAnother(target);
  const started = performance.now();
  const built = await buildFreshReadModels({ ...options, file: fresh });
  // Asked after the build: a server started meanwhile is asked too.
  const served = servedReadModelFiles(options.dataDir);
  if (served.length > 0) {
    try {
      const swapped = await handToServers(options.dataDir, fresh, served, options.swapTimeoutMs ?? 600_000);
      return { events: built.events, seconds: (performance.now() - started) / 1000, file: fresh, stopped: built.stopped, swapped };
    } finally {
      removeDatabaseFiles(fresh);
    }
  }
  try {
    refuseIfHeldByAnother(target);
  } catch (error) {
    removeDatabaseFiles(fresh);
    throw error;
  }
  // The old file's WAL belongs to the old file: left beside the new one it would be replayed into it.
  rmSync(`${target}-wal`, { force: true });
  rmSync(`${target}-shm`, { force: true });
  renameSync(fresh, target);
  syncDirectory(options.dataDir);
  return { events: built.events, seconds: (performance.now() - started) / 1000, file: target, stopped: built.stopped, swapped: [] };
}

/**
 * Asks the processes serving `targets` to swap `built` in and waits for each one's answer. A process
 * that ends meanwhile, or does not answer in time, is reported as not swapped: its old file serves on.
 */
async function handToServers(dataDir: string, built: string, targets: string[], timeoutMs: number): Promise<SwapAnswer[]> {
  const id = randomUUID();
  const names = targets.map((target) => basename(target));
  writeSwapRequest(dataDir, { id, pid: process.pid, file: built, targets: names });
  const answers = new Map<string, SwapAnswer>();
  const deadline = Date.now() + timeoutMs;
  try {
    while (answers.size < targets.length) {
      for (const target of targets) {
        const name = basename(target);
        if (answers.has(name)) continue;
        const answer = readSwapAnswer(dataDir, id, name);
        if (answer) answers.set(name, answer);
        else if (!isSlotHeld(target)) answers.set(name, { target: name, pid: 0, ok: false, error: "the process serving it ended before answering" });
        else if (Date.now() > deadline) answers.set(name, { target: name, pid: 0, ok: false, error: `no answer within ${timeoutMs} ms` });
      }
      if (answers.size < targets.length) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    rmSync(swapRequestFile(dataDir), { force: true });
    for (const name of names) rmSync(swapAnswerFile(dataDir, id, name), { force: true });
  }
  return names.map((name) => answers.get(name)!);
}

/**
 * Every read model from zero into `file` (removed first), closed and synced. The bulk build first;
 * if a projection cannot apply an event, the file is thrown away and built again by the ordinary
 * runner, which stops that projection alone and records the event (npm run projections -- status).
 */
export async function buildFreshReadModels(options: {
  store: EventStore;
  file: string;
  /** The read models (the declared list, src/app/declaredParts.ts). */
  projections: readonly Projection[];
  onProgress?: (events: number) => void;
  batchSize?: number;
}): Promise<{ events: number; stopped: string[] }> {
  const { file } = options;
  removeDatabaseFiles(file);
  try {
    const { events } = await buildReadModelsInBulk({ store: options.store, file, projections: options.projections, onProgress: options.onProgress });
    return { events, stopped: [] };
  } catch (error) {
    if (!(error instanceof BulkApplyError)) {
      removeDatabaseFiles(file);
      throw error;
    }
    log.warn({ projection: error.projection, error: error.message }, "bulk rebuild stopped on an event: building again event by event");
  }
  removeDatabaseFiles(file);
  let events = 0;
  let stopped: string[] = [];
  const db = openReadModelDatabase(file, options.projections);
  try {
    const runner = startProjectionRunner({
      store: options.store,
      db,
      projections: options.projections,
      batchSize: options.batchSize ?? 5000,
      onApplied: (applied) => {
        events += applied.length;
        options.onProgress?.(events);
      },
    });
    await runner.caughtUp;
    await runner.stop();
    await runner.done;
    stopped = runner.status().flatMap((state) => (state.failure ? [describeFailure(state.name, state.failure)] : []));
    // One self-contained file, so a rename swaps everything at once.
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
  return { events, stopped };
}

/**
 * Rebuilds only the named read models: every one is built from zero into a scratch file (some read
 * others' tables while projecting), then, in one transaction, the named ones' tables in
 * readmodels.db are replaced by the scratch file's rows and their checkpoints set to where it ended.
 * The other read models are left as they are. Refuses while a server has the file open.
 */
export async function rebuildProjections(options: {
  store: EventStore;
  dataDir: string;
  /** The read models (the declared list, src/app/declaredParts.ts). */
  projections: readonly Projection[];
  names: string[];
  onProgress?: (events: number) => void;
}): Promise<RebuildResult & { tables: string[] }> {
  const target = join(options.dataDir, readModelFileName);
  if (isDatabaseInUse(target)) {
    throw new ReadModelInUseError(`${target} is in use (is the server running?): stop the server, then rebuild`);
  }
  const chosen = options.projections.filter((projection) => options.names.includes(projection.name));
  const scratch = join(options.dataDir, `readmodels.rebuild-${process.pid}.db`);
  const started = performance.now();
  try {
    const built = await buildFreshReadModels({ store: options.store, file: scratch, projections: options.projections, onProgress: options.onProgress });
    const tables = chosen.flatMap((projection) => tablesOf(projection.schema));
    const db = openReadModelDatabase(target, options.projections);
    try {
      db.prepare("ATTACH DATABASE ? AS scratch").run(scratch);
      db.transaction(() => {
        for (const table of tables) {
          const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((column) => `"${column.name}"`);
          db.exec(`DELETE FROM main."${table}"`);
          // With the rowids: a table read without ORDER BY returns rows as the projection inserted them.
          db.exec(`INSERT INTO main."${table}" (rowid, ${columns.join(", ")}) SELECT rowid, ${columns.join(", ")} FROM scratch."${table}" ORDER BY rowid`);
        }
        for (const projection of chosen) {
          db.prepare("DELETE FROM main.projection_status WHERE name = ?").run(projection.name);
          db.prepare("INSERT INTO main.projection_status SELECT * FROM scratch.projection_status WHERE name = ?").run(projection.name);
        }
      })();
      db.exec("DETACH DATABASE scratch");
    } finally {
      db.close();
    }
    const stopped = built.stopped.filter((line) => chosen.some((projection) => line.startsWith(`projection ${projection.name} `)));
    return { events: built.events, seconds: (performance.now() - started) / 1000, file: target, stopped, tables, swapped: [] };
  } finally {
    removeDatabaseFiles(scratch);
  }
}

/** The tables a projection's schema creates. */
function tablesOf(schema: string): string[] {
  const db = new Database(":memory:");
  try {
    db.exec(schema);
    return db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all().map((row) => row.name);
  } finally {
    db.close();
  }
}


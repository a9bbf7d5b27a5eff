// Rebuilds every read model from the start of the log into a fresh file, then swaps it in
// (src/projections/bulkRebuild.ts builds it; the projection runner only if an event cannot be applied).
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { EventStore } from "../eventstore/port.ts";
import { startProjectionRunner } from "../projections/projectionRunner.ts";
import { allProjections, openReadModelDatabase } from "../projections/readModelDatabase.ts";
import { describeFailure } from "../projections/projectionStatus.ts";
import { BulkApplyError, buildReadModelsInBulk } from "../projections/bulkRebuild.ts";
import { componentLogger } from "../observability/logger.ts";

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
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
}

/**
 * True while another connection has the file open (a running server holds its read models open
 * for its whole life): in WAL mode that connection's lock keeps an exclusive lock from being taken.
 */
export function isDatabaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("COMMIT");
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") return true;
    throw error;
  } finally {
    db.close();
  }
}

export async function rebuildReadModels(options: {
  store: EventStore;
  dataDir: string;
  onProgress?: (events: number) => void;
  batchSize?: number;
}): Promise<RebuildResult> {
  const target = join(options.dataDir, readModelFileName);
  const fresh = join(options.dataDir, rebuildFileName);
  if (isDatabaseInUse(target)) {
    throw new ReadModelInUseError(`${target} is in use (is the server running?): stop the server, then rebuild`);
  }
  const started = performance.now();
  const built = await buildFreshReadModels({ ...options, file: fresh });
  // The old file's WAL belongs to the old file: left beside the new one it would be replayed into it.
  rmSync(`${target}-wal`, { force: true });
  rmSync(`${target}-shm`, { force: true });
  renameSync(fresh, target);
  syncDirectory(options.dataDir);
  return { events: built.events, seconds: (performance.now() - started) / 1000, file: target, stopped: built.stopped };
}

/**
 * Every read model from zero into `file` (removed first), closed and synced. The bulk build first;
 * if a projection cannot apply an event, the file is thrown away and built again by the ordinary
 * runner, which stops that projection alone and records the event (npm run projections -- status).
 */
export async function buildFreshReadModels(options: {
  store: EventStore;
  file: string;
  onProgress?: (events: number) => void;
  batchSize?: number;
}): Promise<{ events: number; stopped: string[] }> {
  const { file } = options;
  removeDatabaseFiles(file);
  try {
    const { events } = await buildReadModelsInBulk({ store: options.store, file, onProgress: options.onProgress });
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
  const db = openReadModelDatabase(file);
  try {
    const runner = startProjectionRunner({
      store: options.store,
      db,
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
  names: string[];
  onProgress?: (events: number) => void;
}): Promise<RebuildResult & { tables: string[] }> {
  const target = join(options.dataDir, readModelFileName);
  if (isDatabaseInUse(target)) {
    throw new ReadModelInUseError(`${target} is in use (is the server running?): stop the server, then rebuild`);
  }
  const chosen = allProjections.filter((projection) => options.names.includes(projection.name));
  const scratch = join(options.dataDir, `readmodels.rebuild-${process.pid}.db`);
  const started = performance.now();
  try {
    const built = await buildFreshReadModels({ store: options.store, file: scratch, onProgress: options.onProgress });
    const tables = chosen.flatMap((projection) => tablesOf(projection.schema));
    const db = openReadModelDatabase(target);
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
    return { events: built.events, seconds: (performance.now() - started) / 1000, file: target, stopped, tables };
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

/** The rename itself on disk too. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Not every platform can open a directory for fsync; the rename stands either way.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

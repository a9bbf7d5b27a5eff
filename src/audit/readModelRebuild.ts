// Rebuilds every read model from the start of the log into a fresh file, then swaps it in.
import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { EventStore } from "../eventstore/port.ts";
import { startProjectionRunner } from "../projections/projectionRunner.ts";
import { openReadModelDatabase } from "../projections/readModelDatabase.ts";
import { describeFailure } from "../projections/projectionStatus.ts";

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
  removeDatabaseFiles(fresh);
  const started = performance.now();
  let events = 0;
  let stopped: string[] = [];
  const db = openReadModelDatabase(fresh);
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
    // One self-contained file, so the rename below swaps everything at once.
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
  // The old file's WAL belongs to the old file: left beside the new one it would be replayed into it.
  rmSync(`${target}-wal`, { force: true });
  rmSync(`${target}-shm`, { force: true });
  renameSync(fresh, target);
  return { events, seconds: (performance.now() - started) / 1000, file: target, stopped };
}

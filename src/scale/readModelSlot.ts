// Each server process keeps its own read models: several processes on one DATA_DIR each claim a
// numbered slot (slot 0 is readmodels.db, slot n readmodels-<n>.db) and project the log into it.
// The claim is an exclusive SQLite lock on the slot's .lock file, held for the life of the
// process: the operating system drops it when the process ends, even by SIGKILL, so a restarted
// process claims the freed slot and only catches up from that file's checkpoint.
import { join } from "node:path";
import Database from "better-sqlite3";

export interface ReadModelSlot {
  slot: number;
  file: string;
  release(): void;
}

export const maxReadModelSlots = 64;

export function readModelFileFor(dataDir: string, slot: number): string {
  return join(dataDir, slot === 0 ? "readmodels.db" : `readmodels-${slot}.db`);
}

function tryLock(file: string): Database.Database | undefined {
  const lock = new Database(`${file}.lock`, { timeout: 0 });
  try {
    lock.exec("BEGIN EXCLUSIVE"); // never committed: the lock lasts as long as the connection
    return lock;
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === "SQLITE_BUSY") return undefined;
    throw error;
  }
}

/** Claims the lowest free slot. */
export function claimReadModelSlot(dataDir: string): ReadModelSlot {
  for (let slot = 0; slot < maxReadModelSlots; slot += 1) {
    const file = readModelFileFor(dataDir, slot);
    const lock = tryLock(file);
    if (!lock) continue;
    return {
      slot,
      file,
      release() {
        if (lock.open) lock.close();
      },
    };
  }
  throw new Error(`all ${maxReadModelSlots} read-model slots in ${dataDir} are taken by running processes`);
}

// How `npm run rebuild` hands a rebuilt read-model file to the processes serving (an online rebuild):
// the CLI builds DATA_DIR/readmodels.rebuild.db, then writes DATA_DIR/readmodels.swap-request naming
// it and the read-model files in use. Each serving process copies it beside its own file, catches
// the copy up to the live position, swaps it in (swappableReadModels.ts) and answers in
// DATA_DIR/readmodels.swap-<id>.<its file>.json. Files, not a socket: the CLI and the servers share
// only the data directory, and a request whose CLI has died is recognised by its pid and ignored.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import Database from "better-sqlite3";

export interface SwapRequest {
  id: string;
  /** The CLI waiting for the answers: a request whose process is gone is stale. */
  pid: number;
  /** The built file (closed, synced), copied by each process. */
  file: string;
  /** Base names of the read-model files in use when asked: only their processes take it. */
  targets: string[];
}

export interface SwapAnswer {
  target: string;
  pid: number;
  ok: boolean;
  /** Why not, when not ok. */
  error?: string;
  /** The log position the swapped-in file had reached at the swap. */
  position?: string;
}

export const swapRequestName = "readmodels.swap-request";

export function swapRequestFile(dataDir: string): string {
  return join(dataDir, swapRequestName);
}

export function swapAnswerFile(dataDir: string, id: string, target: string): string {
  return join(dataDir, `readmodels.swap-${id}.${basename(target)}.json`);
}

/** Where a process puts the copy it catches up before swapping it in over `file`. */
export function nextFileFor(file: string): string {
  return file.replace(/\.db$/, "") + ".next.db";
}

export function removeDatabaseFiles(file: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
}

/** A rename in `dir` on disk too (its directory entry synced). */
export function syncDirectory(dir: string): void {
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

/** Written whole or not at all (a reader never sees half a request). */
function writeJsonAtomically(file: string, value: unknown): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value));
  renameSync(temporary, file);
}

export function writeSwapRequest(dataDir: string, request: SwapRequest): void {
  writeJsonAtomically(swapRequestFile(dataDir), request);
}

export function readSwapRequest(dataDir: string): SwapRequest | undefined {
  try {
    return JSON.parse(readFileSync(swapRequestFile(dataDir), "utf8")) as SwapRequest;
  } catch {
    return undefined; // none, or being replaced this instant: the next poll reads it
  }
}

export function writeSwapAnswer(dataDir: string, id: string, answer: SwapAnswer): void {
  writeJsonAtomically(swapAnswerFile(dataDir, id, answer.target), answer);
}

export function readSwapAnswer(dataDir: string, id: string, target: string): SwapAnswer | undefined {
  try {
    return JSON.parse(readFileSync(swapAnswerFile(dataDir, id, target), "utf8")) as SwapAnswer;
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
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

/** The slot files src/scale/readModelSlot.ts names: readmodels.db, readmodels-<n>.db. */
const slotFilePattern = /^readmodels(-\d+)?\.db$/;

/**
 * True while a serving process holds the file's slot (src/scale/readModelSlot.ts keeps an exclusive
 * lock on `<file>.lock` for its life): a read of the lock file is then refused at once.
 */
export function isSlotHeld(file: string): boolean {
  if (!existsSync(`${file}.lock`)) return false;
  const lock = new Database(`${file}.lock`, { timeout: 0, fileMustExist: true });
  try {
    lock.prepare("SELECT count(*) FROM sqlite_master").get();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") return true;
    throw error;
  } finally {
    lock.close();
  }
}

/** The read-model files in DATA_DIR that serving processes hold now (each has one). */
export function servedReadModelFiles(dataDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir)
    .filter((name) => slotFilePattern.test(name))
    .sort()
    .map((name) => join(dataDir, name))
    .filter((file) => isSlotHeld(file));
}

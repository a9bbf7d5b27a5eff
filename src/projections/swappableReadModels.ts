// A serving process's read models, behind one holder so the file under them can be replaced while
// requests keep coming: `queries` is one stable object whose members call the statements of the
// current file, `runner` a stable projection runner over whichever runner follows the log now,
// `db` the current handle. A replacement (a file `npm run rebuild` built, or at a cold start the
// bulk build's) is caught up to the live position, then swapped in within one synchronous section:
// every request, all synchronous SQLite on the event loop, sees the old file or the new, never neither.
import { renameSync, rmSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type Database from "better-sqlite3";
import { giveawayStreamPrefix, userStreamPrefix } from "../domain/streams.ts";
import type { EventStore } from "../eventstore/port.ts";
import { backstopCheckpointPages, startWalCheckpointer, type WalCheckpointer } from "../eventstore/walCheckpointer.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import { buildReadModelsInBulk } from "./bulkRebuild.ts";
import { prepareQueries, type ProjectedEvent, type Projection, type QueriesOf } from "./projection.ts";
import { startProjectionRunner, type ProjectionRunner } from "./projectionRunner.ts";
import { readProjectionStates, type ProjectionFailure } from "./projectionStatus.ts";
import { openReadModelDatabase, readCheckpoint } from "./readModelDatabase.ts";
import { isProcessAlive, nextFileFor, readSwapRequest, removeDatabaseFiles, swapRequestFile, syncDirectory, writeSwapAnswer, type SwapAnswer, type SwapRequest } from "./readModelSwap.ts";

export interface ServingReadModelsOptions<P extends readonly Projection[]> {
  store: EventStore;
  dataDir: string;
  /** This process's slot file (src/scale/readModelSlot.ts). */
  file: string;
  /** The read models, in order (the declared list, src/app/declaredParts.ts): their tables, folds and queries. */
  projections: P;
  /** After each committed batch, with whether the runner that applied it had caught up. */
  onApplied(events: ProjectedEvent[], caughtUp: boolean): void;
  onFailure(name: string, failure: ProjectionFailure): void;
  /** In the swap's synchronous section, once `db` is the new handle (read-your-writes re-prepares on it). */
  onSwapped(db: Database.Database): void;
  /** How often a swap request is looked for. */
  pollMs?: number;
  /** Bound on catching a copy up to the live position. */
  catchUpTimeoutMs?: number;
}

export interface ServingReadModels<Q> {
  /** The current handle: read it at each use, never keep it (a swap closes it). */
  readonly db: Database.Database;
  readonly queries: Q;
  readonly runner: ProjectionRunner;
  /**
   * Starts following the log: at a cold start over a log with events, after building the file in
   * bulk. Resolves with how it began once the runner is started.
   */
  start(): Promise<"bulk" | "runner">;
  /** Swaps in a copy of `built` (a closed read-model file) after catching it up to the live position. */
  takeOver(built: string): Promise<SwapAnswer>;
  /** Closes the handles (call runner.stop() first). */
  close(): Promise<void>;
}

const log = componentLogger("readmodels");

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => {}); // observed by whoever awaits it
  return { promise, resolve, reject };
}


function openServing(file: string, projections: readonly Projection[]): Database.Database {
  const db = openReadModelDatabase(file, projections);
  // The read models' WAL is checkpointed on the second core, not inside a projection batch's commit.
  db.pragma(`wal_autocheckpoint = ${backstopCheckpointPages}`);
  return db;
}

/** True when the embedded store's log has no event the read models follow (nothing to build in bulk). */
function logIsEmpty(store: EventStore): boolean {
  return store.readAllPage!({ fromPosition: 0n, maxCount: 1, streamPrefixes: [giveawayStreamPrefix, userStreamPrefix] }).length === 0;
}

export function openServingReadModels<P extends readonly Projection[]>(options: ServingReadModelsOptions<P>): ServingReadModels<QueriesOf<P>> {
  const { store, file, dataDir, projections } = options;
  const next = nextFileFor(file);
  // A copy left by a process killed before its swap: the slot is ours now, so is its leftover.
  removeDatabaseFiles(next);
  const leftover = readSwapRequest(dataDir);
  if (leftover && !isProcessAlive(leftover.pid)) rmSync(swapRequestFile(dataDir), { force: true });

  let db = openServing(file, projections);
  let checkpointer: WalCheckpointer = startWalCheckpointer(file, { synchronous: "NORMAL" });
  let current = prepareQueries(db, projections);
  const stable = Object.fromEntries(
    Object.keys(current as object).map((name) => [name, (...args: unknown[]) => (current as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args)]),
  );
  const queries = stable as unknown as QueriesOf<P>;

  let live: ProjectionRunner | undefined;
  let everCaughtUp = false;
  let stopping = false;
  const caughtUp = deferred<void>();
  const done = deferred<void>();
  // Runners stopped to be replaced: their end is not the service's.
  const retired = new WeakSet<ProjectionRunner>();

  const startLive = () => {
    const runner: ProjectionRunner = startProjectionRunner({
      store,
      db,
      projections,
      onApplied: (applied) => options.onApplied(applied, runner.isCaughtUp()),
      onFailure: (name, failure) => options.onFailure(name, failure),
    });
    live = runner;
    runner.caughtUp.then(
      () => {
        everCaughtUp = true;
        caughtUp.resolve();
      },
      (error) => caughtUp.reject(error),
    );
    runner.done.then(
      () => {
        if (!retired.has(runner)) done.resolve();
      },
      (error) => {
        if (!retired.has(runner)) done.reject(error);
      },
    );
  };

  /**
   * Replaces the file under every handle with `replacement` (closed) — synchronous from the first
   * close to the last re-prepare, so no request runs in between. The operator's record of skipped
   * events is not in the log and is carried over.
   */
  const swapFile = (replacement: string) => {
    const skips = db.prepare<[], Record<string, unknown>>("SELECT * FROM projection_skips").all();
    db.close();
    // The old file's WAL belongs to the old file: left beside the new one it would be replayed into it.
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    renameSync(replacement, file);
    syncDirectory(dirname(file));
    db = openServing(file, projections);
    for (const row of skips) {
      const columns = Object.keys(row);
      db.prepare(`INSERT OR REPLACE INTO projection_skips (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`).run(...columns.map((column) => row[column]));
    }
    current = prepareQueries(db, projections);
    options.onSwapped(db);
  };

  // A cold start (nothing applied yet: a new slot, or emptied by a readModelVersion change) over a
  // log with events: built with the bulk engine first, and the runner continues from its checkpoint.
  // Only for the embedded store, which reads pages synchronously; nothing is served until caught up.
  let coldBuilt: Promise<"bulk" | "runner"> | undefined;
  let startError: Error | undefined;
  const buildColdThenFollow = async (): Promise<"bulk" | "runner"> => {
    try {
      const built = await buildReadModelsInBulk({ store, file: next, projections });
      log.info({ file, events: built.events }, "read models built in bulk at start");
    } catch (error) {
      // An event a projection cannot apply, or a store that cannot be read: the runner, as before,
      // records the one or reports and retries the other.
      removeDatabaseFiles(next);
      log.warn({ ...errorFields(error) }, "bulk build at start did not finish: the runner builds the read models instead");
      if (!stopping) startLive();
      return "runner";
    }
    if (stopping) {
      removeDatabaseFiles(next);
      return "bulk";
    }
    await checkpointer.close();
    swapFile(next);
    checkpointer = startWalCheckpointer(file, { synchronous: "NORMAL" });
    startLive();
    return "bulk";
  };
  const start = () => {
    if (coldBuilt) return coldBuilt;
    // A cold start (nothing applied yet: a new slot, or emptied by a readModelVersion change) over a
    // log with events: built with the bulk engine first, and the runner continues from its checkpoint.
    // Only for the embedded store, which reads pages synchronously; nothing is served until caught up.
    const cold = store.readAllPage !== undefined && readCheckpoint(db) === undefined && !safely(() => logIsEmpty(store), true);
    if (cold) {
      coldBuilt = buildColdThenFollow().catch((error: unknown) => {
        // The swap itself failed (the file could not be renamed or reopened): nothing will follow the log.
        startError = error instanceof Error ? error : new Error(String(error));
        log.error(errorFields(error, true), "read models could not be opened after the bulk build");
        caughtUp.reject(startError);
        done.reject(startError);
        return "bulk" as const;
      });
    } else {
      startLive();
      coldBuilt = Promise.resolve("runner");
    }
    return coldBuilt;
  };

  const pollMs = options.pollMs ?? 500;
  const catchUpTimeoutMs = options.catchUpTimeoutMs ?? 300_000;

  /** Resolves once `condition` holds; rejects past the bound, when `follower` fails, or on shutdown. */
  const until = async (condition: () => boolean, follower: ProjectionRunner, deadline: number) => {
    while (!condition()) {
      const fatal = follower.fatalError();
      if (fatal) throw fatal;
      if (stopping) throw new Error("shutting down");
      if (Date.now() > deadline) throw new Error(`the copy did not catch up with the live read models within ${catchUpTimeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  let swapping: Promise<SwapAnswer> | undefined;
  const takeOver = (built: string): Promise<SwapAnswer> => {
    if (swapping) return Promise.resolve({ target: basename(file), pid: process.pid, ok: false, error: "a swap is already under way" });
    swapping = (async (): Promise<SwapAnswer> => {
      const answer = { target: basename(file), pid: process.pid };
      await coldBuilt;
      const old = live;
      if (!old || stopping) return { ...answer, ok: false, error: "shutting down" };
      const fatal = old.fatalError();
      if (fatal) return { ...answer, ok: false, error: `the projection runner has stopped (${fatal.message}): restart the process` };
      removeDatabaseFiles(next);
      // A copy of our own: each process catches its file up and renames it over its own slot.
      await copyFile(built, next);
      const nextDb = openReadModelDatabase(next, projections);
      const liveAt = () => readCheckpoint(db) ?? -1n;
      const nextAt = () => readCheckpoint(nextDb) ?? -1n;
      // What the copy applies past the live runner's position has not reached the live reactors
      // (the hub, read-your-writes): it is handed to them after the swap, as a batch the runner applied.
      let ahead: ProjectedEvent[] = [];
      const follower = startProjectionRunner({
        store,
        db: nextDb,
        projections,
        onApplied(applied) {
          const at = liveAt();
          ahead = [...ahead, ...applied].filter((event) => event.recorded.position > at);
        },
      });
      let liveStopped = false;
      try {
        const deadline = Date.now() + catchUpTimeoutMs;
        await until(() => follower.isCaughtUp() && nextAt() >= liveAt(), follower, deadline);
        // Paused: the live runner finishes its batch in hand; the copy then reaches the same position.
        retired.add(old);
        liveStopped = true;
        await old.stop();
        const at = liveAt();
        await until(() => nextAt() >= at, follower, deadline);
        await follower.stop();
        if (follower.fatalError()) throw follower.fatalError();
        const late = ahead.filter((event) => event.recorded.position > at);
        nextDb.pragma("wal_checkpoint(TRUNCATE)");
        nextDb.close();
        await checkpointer.close();
        swapFile(next);
        startLive();
        checkpointer = startWalCheckpointer(file, { synchronous: "NORMAL" });
        if (late.length > 0) options.onApplied(late, false);
        const position = readCheckpoint(db);
        log.info({ file, position: position?.toString(), late: late.length }, "rebuilt read models swapped in");
        return { ...answer, ok: true, position: position?.toString() };
      } catch (error) {
        await follower.stop().catch(() => {});
        if (nextDb.open) nextDb.close();
        removeDatabaseFiles(next);
        // The old file serves on, its runner taken up again where it stopped.
        if (liveStopped && !stopping) startLive();
        log.warn({ file, ...errorFields(error) }, "rebuilt read models not swapped in: the old ones serve on");
        return { ...answer, ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    })().finally(() => {
      swapping = undefined;
    });
    return swapping;
  };

  // Requests from `npm run rebuild` (readModelSwap.ts), taken once this process is caught up.
  const handled = new Set<string>();
  const poll = async () => {
    if (stopping || swapping || !everCaughtUp) return;
    const request: SwapRequest | undefined = readSwapRequest(dataDir);
    if (!request || handled.has(request.id) || !request.targets.includes(basename(file))) return;
    handled.add(request.id);
    if (!isProcessAlive(request.pid)) return; // its CLI died: nobody waits for it
    const answer = await takeOver(request.file).catch((error: unknown) => ({ target: basename(file), pid: process.pid, ok: false, error: String(error) }));
    writeSwapAnswer(dataDir, request.id, answer);
  };
  const watcher = setInterval(() => {
    poll().catch((error) => log.warn(errorFields(error), "swap request could not be handled"));
  }, pollMs);
  watcher.unref();

  const runner: ProjectionRunner = {
    caughtUp: caughtUp.promise,
    // Once caught up, a swap's short catch-up is no reason to report the service unready.
    isCaughtUp: () => everCaughtUp,
    done: done.promise,
    status: () => (live ? live.status() : readProjectionStates(db)),
    failureOf: (name) => live?.failureOf(name),
    fatalError: () => live?.fatalError() ?? startError,
    async stop() {
      stopping = true;
      clearInterval(watcher);
      await coldBuilt;
      await swapping;
      if (live && !retired.has(live)) await live.stop();
      else done.resolve(); // never started, or stopped for a swap that shutdown cut short
    },
  };

  return {
    get db() {
      return db;
    },
    queries,
    runner,
    start,
    takeOver,
    async close() {
      await runner.stop();
      await checkpointer.close();
      if (db.open) db.close();
    },
  };
}

function safely<T>(run: () => T, fallback: T): T {
  try {
    return run();
  } catch {
    return fallback;
  }
}

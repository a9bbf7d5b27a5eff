// Rate limits that hold across every process on one DATA_DIR: rate-limiter-flexible's SQLite
// limiter over one shared file (`limits.db`), so a client spreading requests over processes
// (WORKERS, or several `npm start`) spends from one budget. The counters are short-lived and
// rebuildable, so the file trades fsyncs for speed. For many machines see docs/scaling.md.
import { join } from "node:path";
import Database from "better-sqlite3";
import { RateLimiterSQLite, type RateLimiterAbstract } from "rate-limiter-flexible";
import { openStreamLeases, type StreamLeases, type StreamLeasesOptions } from "./streamLeases.ts";

export interface LimitSpec {
  /** Names the limit; keys of different limits never meet. */
  keyPrefix: string;
  /** Requests allowed per `durationSeconds`. */
  points: number;
  durationSeconds: number;
}

export interface SharedLimits {
  limiter(spec: LimitSpec): RateLimiterAbstract;
  /** Open-stream leases in the same file (streamLeases.ts). */
  streamLeases(options: StreamLeasesOptions): StreamLeases;
  close(): void;
}

export const limitsFileName = "limits.db";

/** Expired counters are deleted this often (they are already ignored once expired). */
const sweepEveryMs = 5 * 60_000;

export function openSharedLimits(dataDir: string): SharedLimits {
  const db = new Database(join(dataDir, limitsFileName), { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const tableName = "rate_limits";
  // Created here, once and synchronously, so the limiter never answers "table is not created yet".
  db.exec(`CREATE TABLE IF NOT EXISTS ${tableName} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`);
  // Our own sweep rather than the library's (clearExpiredByTimeout): its timer outlives close() and
  // would then fail, unhandled, on the closed file.
  const sweep = db.prepare(`DELETE FROM ${tableName} WHERE expire < ?`);
  const sweeper = setInterval(() => {
    try {
      sweep.run(Date.now());
    } catch {
      // busy or closing: the next sweep catches up
    }
  }, sweepEveryMs);
  sweeper.unref();
  const leases: StreamLeases[] = [];
  return {
    limiter(spec) {
      return new RateLimiterSQLite({
        storeClient: db,
        storeType: "better-sqlite3",
        tableName,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: spec.keyPrefix,
        points: spec.points,
        duration: spec.durationSeconds,
      });
    },
    streamLeases(options) {
      const opened = openStreamLeases(db, options);
      leases.push(opened);
      return opened;
    },
    close() {
      clearInterval(sweeper);
      for (const each of leases.splice(0)) each.close();
      if (db.open) db.close();
    },
  };
}

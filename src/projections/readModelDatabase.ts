// The read models' own SQLite file: rebuildable from the log at any time, so it trades fsyncs for speed.
import Database from "better-sqlite3";
import type { Projection } from "./projection.ts";
import { ensureProjectionRows, projectionStatusSchema } from "./projectionStatus.ts";

/**
 * Raise this when a read model's tables change shape: a file made by an older version is emptied
 * when opened and rebuilt from the log (read models are only ever a cache of it).
 */
export const readModelVersion = 8;

/** Opens (creating if need be) the read-model file with the tables of `projections` (the declared list, src/app/declaredParts.ts). */
export function openReadModelDatabase(file: string, projections: readonly Projection[]): Database.Database {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  // Checkpoint (copy the WAL into the file, with its fsyncs) every ~40 MB, not every 4 MB: a
  // catch-up over the whole log spent a fifth of its time checkpointing (docs/profiles/rebuild.md).
  // This is what `npm run rebuild` uses; a server checkpoints from a worker thread instead and keeps
  // only a backstop here (openHandoff, src/eventstore/walCheckpointer.ts).
  db.pragma("wal_autocheckpoint = 10000");
  if (db.pragma("user_version", { simple: true }) !== readModelVersion) dropEverything(db);
  createReadModelTables(db, projections);
  return db;
}

/** The tables (if missing), a status row per projection, and this version's mark. */
export function createReadModelTables(db: Database.Database, projections: readonly Projection[]): void {
  db.exec("CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), position TEXT NOT NULL)");
  db.exec(projectionStatusSchema);
  for (const projection of projections) db.exec(projection.schema);
  ensureProjectionRows(db, projections.map((projection) => projection.name));
  db.pragma(`user_version = ${readModelVersion}`);
}

/** Every table but the operator's record of skipped events, which the log cannot rebuild. */
function dropEverything(db: Database.Database): void {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'projection_skips'")
    .all();
  db.transaction(() => {
    for (const { name } of tables) db.exec(`DROP TABLE IF EXISTS "${name.replace(/"/g, '""')}"`);
  })();
}

/** The furthest log position the runner has read (each projection keeps its own in projection_status). */
export function readCheckpoint(db: Database.Database): bigint | undefined {
  const row = db.prepare<[], { position: string }>("SELECT position FROM checkpoint WHERE id = 1").get();
  return row ? BigInt(row.position) : undefined;
}

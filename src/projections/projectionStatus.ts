// Each projection's own checkpoint and, when it stopped, the event it stopped on: kept in the read
// model file so the server, a restart and the operator command (npm run projections) all see the same.
import type Database from "better-sqlite3";
import { readSkips, recordSkip, skipsTableSchema, stoppedEventOf, type SkippedEvent, type StoppedColumns, type StoppedEvent } from "./stoppedEvents.ts";

/** The event a projection could not apply, and why. */
export type ProjectionFailure = StoppedEvent;

export interface ProjectionState {
  name: string;
  /** Global position of the last event applied (or passed over); undefined: none yet. */
  position: bigint | undefined;
  /** Set while the projection is stopped on an event. */
  failure: ProjectionFailure | undefined;
}

export type ProjectionSkip = SkippedEvent;

export const projectionStatusSchema = `
  CREATE TABLE IF NOT EXISTS projection_status (
    name TEXT PRIMARY KEY, position TEXT,
    failed_position TEXT, failed_stream TEXT, failed_revision TEXT, failed_type TEXT, failed_event_id TEXT,
    failed_error TEXT, failed_at TEXT);
  -- Events an operator chose to pass over (npm run projections -- skip): the log itself is never changed.
  ${skipsTableSchema("projection_skips")}`;

interface StatusRow extends StoppedColumns {
  name: string;
  position: string | null;
}

function toState(row: StatusRow): ProjectionState {
  return { name: row.name, position: row.position === null ? undefined : BigInt(row.position), failure: stoppedEventOf(row) };
}

/** A row per projection; one that has none yet starts from the shared checkpoint of earlier versions. */
export function ensureProjectionRows(db: Database.Database, names: readonly string[]): void {
  const legacy = db.prepare<[], { position: string }>("SELECT position FROM checkpoint WHERE id = 1").get();
  const insert = db.prepare("INSERT OR IGNORE INTO projection_status (name, position) VALUES (?, ?)");
  for (const name of names) insert.run(name, legacy?.position ?? null);
}

export function readProjectionStates(db: Database.Database): ProjectionState[] {
  return db.prepare<[], StatusRow>("SELECT * FROM projection_status ORDER BY rowid").all().map(toState);
}

export function projectionStatusWriter(db: Database.Database) {
  // Every read model at the same place after a batch (the usual case): one statement, not one each.
  const savePositions = db.prepare("UPDATE projection_status SET position = ? WHERE name IN (SELECT value FROM json_each(?)) AND failed_position IS NULL");
  const saveFailure = db.prepare(
    `UPDATE projection_status SET failed_position = ?, failed_stream = ?, failed_revision = ?, failed_type = ?,
       failed_event_id = ?, failed_error = ?, failed_at = ?, position = ? WHERE name = ?`,
  );
  return {
    positions(names: readonly string[], position: bigint): void {
      if (names.length > 0) savePositions.run(position.toString(), JSON.stringify(names));
    },
    failure(name: string, position: bigint | undefined, failure: ProjectionFailure): void {
      const { streamId, revision, type, eventId, error, failedAt } = failure;
      saveFailure.run(failure.position.toString(), streamId, revision.toString(), type, eventId, error, failedAt, position?.toString() ?? null, name);
    },
  };
}

/** The operator's retry: the projection tries its failed event again (the server notices within seconds). */
export function clearFailure(db: Database.Database, name: string): boolean {
  const result = db
    .prepare(
      `UPDATE projection_status SET failed_position = NULL, failed_stream = NULL, failed_revision = NULL, failed_type = NULL,
         failed_event_id = NULL, failed_error = NULL, failed_at = NULL WHERE name = ? AND failed_position IS NOT NULL`,
    )
    .run(name);
  return result.changes > 0;
}

/** The operator's skip: the failed event is recorded as passed over and the projection goes on after it. */
export function skipFailedEvent(db: Database.Database, name: string, now: Date): ProjectionSkip | undefined {
  return db.transaction(() => {
    const state = readProjectionStates(db).find((each) => each.name === name);
    const failure = state?.failure;
    if (!failure) return undefined;
    const skip = recordSkip(db, "projection_skips", name, failure, now);
    clearFailure(db, name);
    db.prepare("UPDATE projection_status SET position = ? WHERE name = ?").run(failure.position.toString(), name);
    return skip;
  })();
}

export function readProjectionSkips(db: Database.Database): ProjectionSkip[] {
  return readSkips(db, "projection_skips");
}

/** One line for logs, readiness and the operator command. */
export function describeFailure(name: string, failure: ProjectionFailure): string {
  return `projection ${name} stopped at ${failure.streamId} revision ${failure.revision} (${failure.type}, event ${failure.eventId}, log position ${failure.position}): ${failure.error}`;
}

// The event a follower of the log stopped on, and the operator's record of events passed over
// (`skip`): one shape and one table layout for the read models (projectionStatus.ts) and the durable
// reactors (reactors/reactorState.ts), so `npm run projections` and `npm run reactors` say the same.
import type Database from "better-sqlite3";
import type { RecordedEvent } from "../eventstore/port.ts";

/** The event a follower could not apply or handle, and why. */
export interface StoppedEvent {
  position: bigint;
  streamId: string;
  revision: bigint;
  type: string;
  eventId: string;
  error: string;
  failedAt: string;
}

/** An event the operator chose to pass over: the log itself is never changed. */
export interface SkippedEvent {
  name: string;
  position: bigint;
  streamId: string;
  revision: bigint;
  eventId: string;
  type: string;
  error: string;
  skippedAt: string;
}

/** What is recorded of an event that failed: where it stands and the error's first 500 characters. */
export function stoppedEventAt(recorded: RecordedEvent, error: unknown, failedAt = new Date()): StoppedEvent {
  const message = error instanceof Error ? error.message : String(error);
  return {
    position: recorded.position,
    streamId: recorded.streamId,
    revision: recorded.revision,
    type: recorded.type,
    eventId: recorded.id,
    error: message.length > 500 ? `${message.slice(0, 500)}…` : message,
    failedAt: failedAt.toISOString(),
  };
}

export type SkipsTable = "projection_skips" | "reactor_skips";

/** The failed_* columns of a status or checkpoint row. */
export interface StoppedColumns {
  failed_position: string | null;
  failed_stream: string | null;
  failed_revision: string | null;
  failed_type: string | null;
  failed_event_id: string | null;
  failed_error: string | null;
  failed_at: string | null;
}

export function skipsTableSchema(table: SkipsTable): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
    name TEXT NOT NULL, position TEXT NOT NULL, stream_id TEXT NOT NULL, revision TEXT NOT NULL, event_id TEXT NOT NULL,
    type TEXT NOT NULL, error TEXT NOT NULL, skipped_at TEXT NOT NULL, PRIMARY KEY (name, position));`;
}

export function stoppedEventOf(row: StoppedColumns): StoppedEvent | undefined {
  if (row.failed_position === null) return undefined;
  return {
    position: BigInt(row.failed_position),
    streamId: row.failed_stream ?? "?",
    revision: BigInt(row.failed_revision ?? "-1"),
    type: row.failed_type ?? "?",
    eventId: row.failed_event_id ?? "?",
    error: row.failed_error ?? "?",
    failedAt: row.failed_at ?? "?",
  };
}

/** Records that `name` passes over the event it stopped on (inside the caller's transaction). */
export function recordSkip(db: Database.Database, table: SkipsTable, name: string, stopped: StoppedEvent, now: Date): SkippedEvent {
  const skip: SkippedEvent = { name, position: stopped.position, streamId: stopped.streamId, revision: stopped.revision, eventId: stopped.eventId, type: stopped.type, error: stopped.error, skippedAt: now.toISOString() };
  db.prepare(
    `INSERT OR REPLACE INTO ${table} (name, position, stream_id, revision, event_id, type, error, skipped_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(name, skip.position.toString(), skip.streamId, skip.revision.toString(), skip.eventId, skip.type, skip.error, skip.skippedAt);
  return skip;
}

export function readSkips(db: Database.Database, table: SkipsTable): SkippedEvent[] {
  return db
    .prepare<[], { name: string; position: string; stream_id: string; revision: string; event_id: string; type: string; error: string; skipped_at: string }>(
      `SELECT * FROM ${table} ORDER BY skipped_at, name`,
    )
    .all()
    .map((row) => ({
      name: row.name,
      position: BigInt(row.position),
      streamId: row.stream_id,
      revision: BigInt(row.revision),
      eventId: row.event_id,
      type: row.type,
      error: row.error,
      skippedAt: row.skipped_at,
    }));
}

// The durable reactors' state, in one SQLite file shared by every process on the data dir
// (DATA_DIR/reactors.db): each reactor's checkpoint and, when it stopped, the event it stopped on;
// its stored wake-ups; and the lease that lets one process at a time run it. Unlike the read
// models it cannot be rebuilt from the log (wake-ups already done are gone from it), so it is kept
// with the store. Synchronous NORMAL is enough: a transaction lost with the power takes its
// checkpoint with it, so its events are delivered again and schedule the same wake-ups again.
import { join } from "node:path";
import Database from "better-sqlite3";
import { readSkips, recordSkip, skipsTableSchema, stoppedEventOf, type SkippedEvent, type StoppedColumns, type StoppedEvent } from "../projections/stoppedEvents.ts";

export const reactorsFileName = "reactors.db";

/** The event a durable reactor could not handle, and why. */
export interface ReactorFailure extends StoppedEvent {
  attempts: number;
}

export interface ReactorState {
  name: string;
  /** Global position of the last event handled (or passed over); undefined: none yet. */
  position: bigint | undefined;
  /** Set while a batch ending here was handed to the handler and not yet recorded as done. */
  inFlight: bigint | undefined;
  /** Failed attempts at the batch after `position`. */
  attempts: number;
  failure: ReactorFailure | undefined;
  lease: { holder: string; expires: number } | undefined;
  wakeUps: { count: number; nextDueAt: number | undefined; failing: number };
}

export type ReactorSkip = SkippedEvent;

export interface StoredWakeUp {
  reactor: string;
  key: string;
  dueAt: number;
  payload: string;
  attempts: number;
}

const schema = `
  CREATE TABLE IF NOT EXISTS reactor_checkpoints (
    name TEXT PRIMARY KEY, position TEXT, in_flight TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    failed_position TEXT, failed_stream TEXT, failed_revision TEXT, failed_type TEXT, failed_event_id TEXT,
    failed_error TEXT, failed_at TEXT);
  -- Events an operator chose to pass over (npm run reactors -- skip): the log itself is never changed.
  ${skipsTableSchema("reactor_skips")}
  CREATE TABLE IF NOT EXISTS reactor_wakeups (
    reactor TEXT NOT NULL, key TEXT NOT NULL, due_at INTEGER NOT NULL, payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, PRIMARY KEY (reactor, key));
  CREATE INDEX IF NOT EXISTS reactor_wakeups_due ON reactor_wakeups (reactor, due_at);
  -- One process at a time runs a reactor: its lease lapses when the holder stops renewing it (dies).
  CREATE TABLE IF NOT EXISTS reactor_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires INTEGER NOT NULL);`;

export function reactorStateFile(dataDir: string): string {
  return join(dataDir, reactorsFileName);
}

export function openReactorState(file: string): Database.Database {
  const db = new Database(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(schema);
  return db;
}

interface CheckpointRow extends StoppedColumns {
  name: string;
  position: string | null;
  in_flight: string | null;
  attempts: number;
}

const bigOrUndefined = (text: string | null) => (text === null ? undefined : BigInt(text));

export function readReactorStates(db: Database.Database, now = Date.now()): ReactorState[] {
  const leases = new Map(db.prepare<[], { name: string; holder: string; expires: number }>("SELECT * FROM reactor_leases").all().map((row) => [row.name, row]));
  const wakeUps = db.prepare<[string], { count: number; next: number | null; failing: number }>(
    "SELECT count(*) AS count, min(due_at) AS next, count(*) FILTER (WHERE attempts > 0) AS failing FROM reactor_wakeups WHERE reactor = ?",
  );
  return db
    .prepare<[], CheckpointRow>("SELECT * FROM reactor_checkpoints ORDER BY rowid")
    .all()
    .map((row) => {
      const lease = leases.get(row.name);
      const wakes = wakeUps.get(row.name)!;
      const stopped = stoppedEventOf(row);
      return {
        name: row.name,
        position: bigOrUndefined(row.position),
        inFlight: bigOrUndefined(row.in_flight),
        attempts: row.attempts,
        failure: stopped && { ...stopped, attempts: row.attempts },
        lease: lease && lease.expires > now ? { holder: lease.holder, expires: lease.expires } : undefined,
        wakeUps: { count: wakes.count, nextDueAt: wakes.next ?? undefined, failing: wakes.failing },
      };
    });
}

/** The operator's retry: the reactor is handed its failed event again (a running server takes it up within seconds). */
export function clearReactorFailure(db: Database.Database, name: string): boolean {
  return (
    db
      .prepare(
        `UPDATE reactor_checkpoints SET failed_position = NULL, failed_stream = NULL, failed_revision = NULL, failed_type = NULL,
           failed_event_id = NULL, failed_error = NULL, failed_at = NULL, attempts = 0 WHERE name = ? AND failed_position IS NOT NULL`,
      )
      .run(name).changes > 0
  );
}

/** The operator's skip: the failed event is recorded as passed over and the reactor goes on after it. */
export function skipReactorFailure(db: Database.Database, name: string, now: Date): ReactorSkip | undefined {
  return db.transaction(() => {
    const failure = readReactorStates(db).find((each) => each.name === name)?.failure;
    if (!failure) return undefined;
    const skip = recordSkip(db, "reactor_skips", name, failure, now);
    clearReactorFailure(db, name);
    db.prepare("UPDATE reactor_checkpoints SET position = ?, in_flight = NULL WHERE name = ?").run(failure.position.toString(), name);
    return skip;
  })();
}

export function readReactorSkips(db: Database.Database): ReactorSkip[] {
  return readSkips(db, "reactor_skips");
}

/** Wake-ups whose last call failed, with why (the operator's status shows them). */
export function readFailingWakeUps(db: Database.Database): { reactor: string; key: string; dueAt: number; attempts: number; error: string }[] {
  return db
    .prepare<[], { reactor: string; key: string; dueAt: number; attempts: number; error: string }>(
      "SELECT reactor, key, due_at AS dueAt, attempts, coalesce(last_error, '?') AS error FROM reactor_wakeups WHERE attempts > 0 ORDER BY reactor, due_at",
    )
    .all();
}

/** One line for logs and the operator command. */
export function describeReactorFailure(name: string, failure: ReactorFailure): string {
  return `reactor ${name} stopped at ${failure.streamId} revision ${failure.revision} (${failure.type}, event ${failure.eventId}, log position ${failure.position}) after ${failure.attempts} attempts: ${failure.error}`;
}

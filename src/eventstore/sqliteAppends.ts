// The embedded store's write path: a group of appends in one transaction, each in its own savepoint,
// with EventStoreDB's expected-revision and idempotency rules. It runs on whichever thread holds the
// writing connection: the event loop's (the CLI, tests) or the store's append worker (the server).
import type Database from "better-sqlite3";
import { WrongExpectedRevisionError, type AppendResult, type EventToAppend, type ExpectedRevision } from "./port.ts";

/** One append of a group; `created` is stamped by the caller (the store's clock lives on its thread). */
export interface AppendRequest {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
  created: bigint;
}

export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

export const schema = `
CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  created INTEGER NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE INDEX IF NOT EXISTS events_by_event_id ON events (stream_id, event_id);
CREATE TABLE IF NOT EXISTS streams (stream_id TEXT PRIMARY KEY, revision INTEGER NOT NULL);
`;

/** The statements of the append path; test/contract/sqliteQueryPlans.test.ts pins their plans. */
export const appendQueries = {
  streamRevision: "SELECT revision FROM streams WHERE stream_id = ?",
  eventIdAt: "SELECT event_id, position FROM events WHERE stream_id = ? AND revision = ?",
  // INDEXED BY: with ORDER BY revision the planner preferred the (stream_id, revision) index and
  // scanned the whole stream on every append, so a send cost more the longer the conversation.
  firstRevisionOfId: "SELECT min(revision) AS revision FROM events INDEXED BY events_by_event_id WHERE stream_id = ? AND event_id = ?",
  insertEvent: "INSERT INTO events (stream_id, revision, event_id, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
  upsertStream: "INSERT INTO streams (stream_id, revision) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision",
} as const;

/** The connection's settings for the store: WAL, the durability's fsync level, a wait on a busy file. */
export function configureStoreConnection(db: Database.Database, synchronous: "FULL" | "NORMAL", lockTimeoutMs: number): void {
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma(`busy_timeout = ${lockTimeoutMs}`);
}

/** Commits a group of appends in one transaction (one fsync); each append succeeds or fails alone. */
export function prepareGroupCommit(db: Database.Database): (group: AppendRequest[]) => AppendOutcome[] {
  const streamRevision = db.prepare<[string], { revision: bigint }>(appendQueries.streamRevision).safeIntegers();
  const eventIdAt = db.prepare<[string, bigint], { event_id: string; position: bigint }>(appendQueries.eventIdAt).safeIntegers();
  const firstRevisionOfId = db.prepare<[string, string], { revision: bigint | null }>(appendQueries.firstRevisionOfId).safeIntegers();
  const insertEvent = db.prepare(appendQueries.insertEvent);
  const upsertStream = db.prepare(appendQueries.upsertStream);

  /** "all": the batch is already stored from `start` on; "partial": some of it is; "none": none. */
  function matchStoredRun(streamId: string, start: bigint, events: EventToAppend[]): { match: "all" | "partial" | "none"; last?: AppendResult } {
    let matched = 0;
    let last: AppendResult | undefined;
    for (const [index, event] of events.entries()) {
      const row = eventIdAt.get(streamId, start + BigInt(index));
      if (!row || row.event_id !== event.id) break;
      matched += 1;
      last = { nextExpectedRevision: start + BigInt(index), position: row.position, outcome: "deduplicated" };
    }
    if (matched === events.length) return { match: "all", last };
    return { match: matched === 0 ? "none" : "partial" };
  }

  // EventStoreDB's idempotency: a batch whose ids already stand where it would go is acknowledged, not written.
  function appendOne({ streamId, events, expected, created }: AppendRequest): AppendResult {
    const current = streamRevision.get(streamId)?.revision;
    const actual = current ?? "no_stream";
    const wrong = () => new WrongExpectedRevisionError(streamId, expected, actual);
    let idempotencyStart: bigint | undefined;
    if (typeof expected === "bigint") idempotencyStart = expected + 1n;
    else if (expected === "no_stream") idempotencyStart = 0n;
    else idempotencyStart = current === undefined ? undefined : (firstRevisionOfId.get(streamId, events[0]!.id)?.revision ?? undefined);

    if (current !== undefined && idempotencyStart !== undefined && idempotencyStart <= current) {
      const stored = matchStoredRun(streamId, idempotencyStart, events);
      if (stored.match === "all") return stored.last!;
      if (stored.match === "partial" || expected !== "any") throw wrong();
    }
    if (typeof expected === "bigint" && expected !== current) throw wrong();
    if (expected === "no_stream" && current !== undefined) throw wrong();
    if (expected === "stream_exists" && current === undefined) throw wrong();

    let revision = current ?? -1n;
    let position = 0n;
    for (const event of events) {
      revision += 1n;
      const info = insertEvent.run(
        streamId,
        revision,
        event.id,
        event.type,
        JSON.stringify(event.data ?? null),
        JSON.stringify(event.metadata ?? {}),
        created,
      );
      position = BigInt(info.lastInsertRowid);
    }
    upsertStream.run(streamId, revision);
    return { nextExpectedRevision: revision, position, outcome: "written" };
  }

  const appendInSavepoint = db.transaction((request: AppendRequest) => appendOne(request));
  const commitGroup = db.transaction((group: AppendRequest[]) =>
    group.map((request): AppendOutcome => {
      try {
        return { ok: true, result: appendInSavepoint(request) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
  return (group) => commitGroup.immediate(group);
}

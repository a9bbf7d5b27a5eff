// The embedded event store: one SQLite file in WAL mode, EventStoreDB's semantics.
import Database from "better-sqlite3";
import { backstopCheckpointPages, startWalCheckpointer } from "./walCheckpointer.ts";
import { writeLockTimeoutMs } from "./writeLockWait.ts";
import {
  checkBatch,
  StreamNotFoundError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
} from "./port.ts";
import { startAppendThread, type AppendThread } from "./sqliteAppendThread.ts";
import { appendFailure } from "./sqliteAppendErrors.ts";
import { appendQueries, configureStoreConnection, prepareGroupCommit, schema, type AppendOutcome } from "./sqliteAppends.ts";
import { prepareStreamMetadata } from "./sqliteStreamMetadata.ts";
import { createLogTail, type LogTail } from "./logTail.ts";
import { createPollingSubscription, type CommitHooks, type CommitInfo } from "./sqliteSubscription.ts";

export type SqliteDurability = "full" | "normal";

export interface SqliteEventStoreOptions {
  file: string;
  /** full: fsync on every commit (survives power loss); normal: survives a process crash. */
  durability?: SqliteDurability;
  /** How often waiting subscriptions look for appends made by other processes. */
  pollIntervalMs?: number;
  /**
   * The server's store: commit appends on one worker thread (the fsync off the event loop) and
   * checkpoint the WAL from another, instead of both inside a commit on the event loop.
   */
  workerThreads?: boolean;
  /** How often events hidden by stream metadata ($maxAge, $maxCount) are deleted. */
  scavengeIntervalMs?: number;
  /** How long an append waits for another process's write lock before it fails as unavailable (default 5 s). */
  writeLockTimeoutMs?: number;
  now?: () => Date;
}

interface EventRow {
  position: bigint;
  stream_id: string;
  revision: bigint;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  created: bigint;
}

interface PendingAppend {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

const pageSize = 1000;

/** The statements of the append and read paths; test/contract/sqliteQueryPlans.test.ts pins their plans. */
export const storeQueries = {
  ...appendQueries,
  readForwards: "SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?",
  readBackwards: "SELECT * FROM events WHERE stream_id = ? AND revision <= ? AND revision >= ? ORDER BY revision DESC LIMIT ?",
  maxPosition: "SELECT max(position) AS position FROM events",
} as const;

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    created: new Date(Number(row.created)),
  };
}

/**
 * A row read by a bulk reader: `metadata` (the hash chain and context, larger than most events'
 * data) is read and `created` made only if something asks, which a rebuild mostly does not.
 */
class LazyRecordedEvent implements RecordedEvent {
  #metadata: unknown;
  #created: Date | undefined;
  constructor(
    readonly id: string,
    readonly type: string,
    readonly data: unknown,
    private readonly readMetadata: (position: bigint) => string,
    readonly streamId: string,
    readonly revision: bigint,
    readonly position: bigint,
    private readonly createdMs: bigint,
  ) {}
  get metadata(): unknown {
    if (this.#metadata === undefined) this.#metadata = JSON.parse(this.readMetadata(this.position));
    return this.#metadata;
  }
  get created(): Date {
    return (this.#created ??= new Date(Number(this.createdMs)));
  }
}

function prefixClause(prefixes: string[] | undefined): string {
  if (!prefixes || prefixes.length === 0) return "";
  return " AND (" + prefixes.map((p) => `substr(stream_id, 1, ${p.length}) = '${p.replaceAll("'", "''")}'`).join(" OR ") + ")";
}

export function openSqliteEventStore(options: SqliteEventStoreOptions): EventStore {
  const db = new Database(options.file);
  const synchronous = options.durability === "normal" ? "NORMAL" : "FULL";
  const lockTimeoutMs = options.writeLockTimeoutMs ?? writeLockTimeoutMs;
  configureStoreConnection(db, synchronous, lockTimeoutMs);
  db.exec(schema);
  if (options.workerThreads) db.pragma(`wal_autocheckpoint = ${backstopCheckpointPages}`);
  const checkpointer = options.workerThreads ? startWalCheckpointer(options.file, { synchronous }) : undefined;
  const appendThread: AppendThread | undefined = options.workerThreads ? startAppendThread(options.file, synchronous, lockTimeoutMs) : undefined;
  const commitHere = appendThread ? undefined : prepareGroupCommit(db);
  const now = options.now ?? (() => new Date());

  const streamRevision = db.prepare<[string], { revision: bigint }>(storeQueries.streamRevision).safeIntegers();
  const readForwards = db.prepare<[string, bigint, number], EventRow>(storeQueries.readForwards).safeIntegers();
  const readBackwards = db.prepare<[string, bigint, bigint, number], EventRow>(storeQueries.readBackwards).safeIntegers();
  const metadata = prepareStreamMetadata(db, now);
  /** Reads start no earlier than this: what $maxAge / $maxCount hide is never shown. */
  const firstVisible = (streamId: string, current: bigint | undefined) => (current === undefined ? 0n : metadata.firstVisibleRevision(streamId, current));
  const maxPosition = db.prepare<[], { position: bigint | null }>(storeQueries.maxPosition).safeIntegers();
  const readAllStatements = new Map<string, Database.Statement<[bigint, number], EventRow>>();
  /** Per filter, the newest stretch of the log its $all followers read (logTail.ts). */
  const tails = new Map<string, LogTail>();
  const readPageStatements = new Map<string, Database.Statement<[bigint, number], unknown[]>>();
  const metadataAt = db.prepare<[bigint], { metadata: string }>("SELECT metadata FROM events WHERE position = ?");
  // Read one by one, only when asked for: a rebuild never reads it (the hash chain, larger than most data).
  const readMetadata = (position: bigint) => metadataAt.get(position)?.metadata ?? "null";

  function readAllStatement(prefixes: string[] | undefined, direction: "forwards" | "backwards" = "forwards") {
    const key = `${direction} ${JSON.stringify(prefixes ?? [])}`;
    let statement = readAllStatements.get(key);
    if (!statement) {
      const [bound, order] = direction === "forwards" ? [">=", "ASC"] : ["<=", "DESC"];
      statement = db
        .prepare<[bigint, number], EventRow>(`SELECT * FROM events WHERE position ${bound} ?${prefixClause(prefixes)} ORDER BY position ${order} LIMIT ?`)
        .safeIntegers();
      readAllStatements.set(key, statement);
    }
    return statement;
  }

  // Group commit: appends that arrive in the same turn of the event loop share one transaction and one
  // fsync. With the append thread, appends that arrive while a group commits form the next group.
  let queue: PendingAppend[] = [];
  let committing: Promise<void> | undefined;
  const commitListeners = new Set<(info: CommitInfo | undefined) => void>();

  function flush(): void {
    if (queue.length === 0) return;
    const group = queue;
    queue = [];
    const created = BigInt(now().getTime());
    const requests = group.map(({ streamId, events, expected }) => ({ streamId, events, expected, created }));
    if (!appendThread) {
      let outcomes;
      try {
        outcomes = commitHere!(requests);
      } catch (error) {
        for (const pending of group) pending.reject(appendFailure(error));
        return;
      }
      return settle(group, outcomes);
    }
    committing = appendThread.commit(requests).then(
      (outcomes) => settle(group, outcomes),
      (error: unknown) => {
        for (const pending of group) pending.reject(appendFailure(error));
      },
    );
    void committing.finally(() => {
      committing = undefined;
      flush();
    });
  }

  function settle(group: PendingAppend[], outcomes: AppendOutcome[]): void {
    const streamIds = new Set<string>();
    let positions: CommitInfo["positions"];
    outcomes.forEach((outcome, index) => {
      const pending = group[index]!;
      if (outcome.ok && outcome.result.outcome === "written") {
        // One transaction inserts one after another: the group's positions are consecutive.
        streamIds.add(pending.streamId);
        const from = outcome.result.position - BigInt(pending.events.length) + 1n;
        positions = { from: positions?.from ?? from, to: outcome.result.position };
      }
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(appendFailure(outcome.error));
    });
    // Seen here, so the poll below does not report it again (unless another process wrote before it).
    if (positions && positions.from === seenMaxPosition + 1n) seenMaxPosition = positions.to;
    if (positions && positions.to > committedHead) committedHead = positions.to;
    const info: CommitInfo = { streamIds, positions };
    for (const listener of commitListeners) listener(info);
  }

  let closed = false;
  const subscriptions = new Set<{ stop(): Promise<void> }>();

  function readStreamRows(streamId: string, options: ReadStreamOptions = {}): EventRow[] {
    const backwards = options.direction === "backwards";
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const current = streamRevision.get(streamId)?.revision;
    if (current === undefined) throw new StreamNotFoundError(streamId);
    const from = options.fromRevision ?? (backwards ? "end" : "start");
    const start = from === "start" ? 0n : from === "end" ? current : from;
    // A cached fold asks for what is new since its revision: usually nothing, known from one lookup.
    if (!backwards && start > current) return [];
    const first = firstVisible(streamId, current);
    return backwards ? readBackwards.all(streamId, start, first, maxCount) : readForwards.all(streamId, start > first ? start : first, maxCount);
  }

  // Appends by other processes (a CLI, a second server) show up through this poll.
  let seenMaxPosition = maxPosition.get()?.position ?? 0n;
  // Every position up to here is committed (one writer at a time): this process's commits and the poll
  // move it, before the followers are told, so they know the head without asking for it.
  let committedHead = seenMaxPosition;
  const poller = setInterval(() => {
    if (commitListeners.size === 0 || closed) return;
    const latest = maxPosition.get()?.position ?? 0n;
    if (latest > committedHead) committedHead = latest;
    if (latest > seenMaxPosition) {
      seenMaxPosition = latest;
      for (const listener of commitListeners) listener(undefined);
    }
  }, options.pollIntervalMs ?? 100);
  poller.unref();
  const scavenger = setInterval(() => {
    if (!closed) metadata.scavenge();
  }, options.scavengeIntervalMs ?? 60_000);
  scavenger.unref();

  const hooks: CommitHooks = {
    onCommit(listener) {
      commitListeners.add(listener);
      return () => commitListeners.delete(listener);
    },
  };

  const store: EventStore = {
    appendToStream(streamId, events, appendOptions = {}) {
      try {
        checkBatch(streamId, events);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<AppendResult>((resolve, reject) => {
        // While a group commits on the append thread, the next one gathers; its end flushes it.
        if (queue.length === 0 && !committing) setImmediate(flush);
        queue.push({ streamId, events, expected: appendOptions.expectedRevision ?? "any", resolve, reject });
      });
    },

    async readStream(streamId, readOptions) {
      return readStreamRows(streamId, readOptions).map(toRecordedEvent);
    },

    async readAll(readOptions: ReadAllOptions = {}) {
      const backwards = readOptions.direction === "backwards";
      const given = typeof readOptions.fromPosition === "bigint" ? readOptions.fromPosition : 0n;
      const from = backwards ? BigInt("9223372036854775807") : given; // backwards: from the end
      return readAllStatement(readOptions.streamPrefixes, backwards ? "backwards" : "forwards")
        .all(from, readOptions.maxCount ?? Number.MAX_SAFE_INTEGER)
        .map(toRecordedEvent);
    },

    readAllPage({ fromPosition, maxCount, streamPrefixes }) {
      // Raw rows (arrays), not objects: a rebuild reads the whole log through here.
      let statement = readPageStatements.get(JSON.stringify(streamPrefixes ?? []));
      if (!statement) {
        statement = db
          .prepare<[bigint, number], unknown[]>(
            `SELECT event_id, type, data, stream_id, revision, position, created FROM events WHERE position >= ?${prefixClause(streamPrefixes)} ORDER BY position LIMIT ?`,
          )
          .safeIntegers()
          .raw();
        readPageStatements.set(JSON.stringify(streamPrefixes ?? []), statement);
      }
      return statement.all(fromPosition, maxCount).map((row) => {
        const [id, type, data, streamId, revision, position, created] = row as [string, string, string, string, bigint, bigint, bigint];
        return new LazyRecordedEvent(id, type, JSON.parse(data), readMetadata, streamId, revision, position, created);
      });
    },

    subscribeToStream(streamId, { from }) {
      const endRevision = () => streamRevision.get(streamId)?.revision ?? -1n;
      const subscription = createPollingSubscription({
        after: from === "start" ? -1n : from === "end" ? endRevision() : from.after,
        readAfter: (after) => {
          const first = firstVisible(streamId, streamRevision.get(streamId)?.revision);
          return { events: readForwards.all(streamId, after + 1n > first ? after + 1n : first, pageSize).map(toRecordedEvent), scannedTo: after };
        },
        cursorOf: (event) => event.revision,
        pageSize,
        hooks,
        follows: (committed) => committed === streamId,
        positional: false,
        onStop: () => subscriptions.delete(subscription),
      });
      subscriptions.add(subscription);
      return subscription;
    },

    subscribeToAll({ from, streamPrefixes }) {
      const pageKey = JSON.stringify(streamPrefixes ?? []);
      let tail = tails.get(pageKey);
      if (!tail) {
        const statement = readAllStatement(streamPrefixes);
        tail = createLogTail({ pageSize, capacity: 2 * pageSize, read: (after, limit) => statement.all(after + 1n, limit).map(toRecordedEvent) });
        tails.set(pageKey, tail);
      }
      const followed = tail;
      const subscription = createPollingSubscription({
        after: from === "start" ? 0n : from === "end" ? (maxPosition.get()?.position ?? 0n) : from.after,
        // A short page has seen every position up to the head, so a filter's next read starts past what it dropped.
        readAfter: (after) => followed.pageAfter(after, committedHead),
        cursorOf: (event) => event.position,
        pageSize,
        hooks,
        follows: (committed) => !streamPrefixes || streamPrefixes.length === 0 || streamPrefixes.some((prefix) => committed.startsWith(prefix)),
        positional: true,
        onStop: () => subscriptions.delete(subscription),
      });
      subscriptions.add(subscription);
      return subscription;
    },

    async setStreamMetadata(streamId, streamMetadata) {
      metadata.set(streamId, streamMetadata);
    },

    async getStreamMetadata(streamId) {
      return metadata.get(streamId);
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      // What was accepted is committed before the connection closes.
      while (committing || queue.length > 0) {
        // It settles its group either way (never rejects); its end may start the next group.
        if (committing) await committing;
        else flush();
      }
      clearInterval(poller);
      clearInterval(scavenger);
      await appendThread?.close();
      await checkpointer?.close();
      db.close();
    },
  };

  return store;
}

// Builds read models from zero into a fresh file as fast as SQLite allows: the log read in large
// pages without re-checking it (trustedEvents.ts), tens of thousands of events per transaction, no
// journal and no fsync while building (a failed build is thrown away, never served), and the
// indexes only queries use created once at the end. The rows are the projections' own: each
// projection's ordinary apply runs for each event, in log order, as the runner would run it, but
// for the busiest ones, which keep rows in memory or buffer them and write many to a statement
// (inboxBulk.ts, conversationBulk.ts, timelineBulk.ts): the same rows, in the same rowid order.
//
// Nothing is rolled back here (there is no journal to roll back with): the first event a
// projection cannot apply aborts the build, and the caller builds again with the ordinary runner,
// which stops that projection alone and records why (readModelRebuild.ts).
import { closeSync, fsyncSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import { giveawayStreamPrefix, userStreamPrefix } from "../domain/streams.ts";
import type { EventStore, RecordedEvent } from "../eventstore/port.ts";
import type { ProjectedEvent, Projection } from "./projection.ts";
import { projectionStatusWriter } from "./projectionStatus.ts";
import { createReadModelTables } from "./readModelDatabase.ts";
import { toTrustedProjectedEvent } from "./trustedEvents.ts";
import { inboxProjection } from "./inboxProjection.ts";
import { prepareInboxBulk, type BulkApply } from "./inboxBulk.ts";
import { conversationProjection } from "./conversationProjection.ts";
import { prepareConversationBulk } from "./conversationBulk.ts";
import { timelineProjection } from "./timelineProjection.ts";
import { prepareTimelineBulk } from "./timelineBulk.ts";

/** Projections folded in memory during a bulk build and written at its end (same rows). */
const bulkVariants = new Map<Projection, (db: Database.Database) => BulkApply>([
  [conversationProjection, prepareConversationBulk],
  [timelineProjection, prepareTimelineBulk],
  [inboxProjection, prepareInboxBulk],
]);

/** Needed while projecting, not only by queries: the inbox updates both rows of a giveaway by it. */
const indexesUsedWhileProjecting = new Set(["inbox_by_giveaway"]);

export class BulkApplyError extends Error {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent,
    cause: unknown,
  ) {
    super(`projection ${projection} could not apply ${event.streamId} revision ${event.revision} (${event.type}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface BulkBuildOptions {
  store: EventStore;
  /** A file that does not exist yet (or is to be overwritten: the caller removed it). */
  file: string;
  /** The read models it builds (the declared list, src/app/declaredParts.ts). */
  projections: readonly Projection[];
  /** After each committed transaction: events applied by at least one projection so far. */
  onProgress?: (events: number) => void;
  transactionEvents?: number;
  pageSize?: number;
}

export interface BulkBuildResult {
  /** Events applied by at least one projection. */
  events: number;
  /** The last log position read (every projection's checkpoint), undefined for an empty log. */
  position: bigint | undefined;
}

function streamKind(streamId: string): ProjectedEvent["stream"] | undefined {
  if (streamId.startsWith(giveawayStreamPrefix)) return "giveaway";
  if (streamId.startsWith(userStreamPrefix)) return "user";
  return undefined;
}

/**
 * The log from its start to its head, in pages: the embedded store's synchronous bulk reader, or
 * for any other adapter a catch-up subscription up to "caught up" (positions there need not be
 * consecutive, so "from the last one plus one" is no position to read from).
 */
async function* pagesOf(store: EventStore, streamPrefixes: string[], pageSize: number): AsyncGenerator<RecordedEvent[]> {
  if (store.readAllPage) {
    let from = 0n;
    for (;;) {
      const page = store.readAllPage({ fromPosition: from, maxCount: pageSize, streamPrefixes });
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
      from = page[page.length - 1]!.position + 1n;
    }
  }
  const subscription = store.subscribeToAll({ from: "start", streamPrefixes });
  try {
    let page: RecordedEvent[] = [];
    for await (const item of subscription) {
      if (item.kind === "caughtUp") break;
      page.push(item.event);
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  } finally {
    await subscription.stop();
  }
}

/** The settings of a file being built: fast, and worthless if the process dies (it is then rebuilt). */
function openForBuilding(file: string, projections: readonly Projection[]): { db: Database.Database; deferred: string[] } {
  const db = new Database(file);
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("locking_mode = EXCLUSIVE");
  db.pragma("temp_store = MEMORY");

  db.pragma("threads = 2"); // the deferred index builds may sort on a helper thread
  db.pragma("cache_size = -262144"); // 256 MiB: the tables being built stay in memory between transactions
  createReadModelTables(db, projections);
  // Indexes only queries use are built once from the finished tables, sorted, not row by row.
  const indexes = db
    .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
    .all()
    .filter((index) => !indexesUsedWhileProjecting.has(index.name));
  for (const index of indexes) db.exec(`DROP INDEX "${index.name.replace(/"/g, '""')}"`);
  return { db, deferred: indexes.map((index) => index.sql) };
}

/**
 * Builds every projection's tables from the start of the log up to its head (as it stands when the
 * last page is read) into `file`, ready to be opened by openReadModelDatabase (WAL, synced).
 */
export async function buildReadModelsInBulk(options: BulkBuildOptions): Promise<BulkBuildResult> {
  const { projections } = options;
  const transactionEvents = options.transactionEvents ?? 50_000;
  // Pages of 2,000: a page of 10,000 events outlived young-generation collections and was copied
  // (scavenges took 320 ms of a 100,000-event build, 120 ms with 2,000).
  const pageSize = options.pageSize ?? 2_000;
  const streamPrefixes = [giveawayStreamPrefix, userStreamPrefix];
  const { db, deferred } = openForBuilding(options.file, projections);
  try {
    const entries = projections.map((projection) => {
      const bulk = bulkVariants.get(projection)?.(db);
      return {
        name: projection.name,
        giveaway: (projection.streams ?? ["giveaway", "user"]).includes("giveaway"),
        user: (projection.streams ?? ["giveaway", "user"]).includes("user"),
        apply: bulk ?? projection.prepare(db),
        finish: bulk?.finish,
      };
    });
    const giveawayEntries = entries.filter((entry) => entry.giveaway);
    const userEntries = entries.filter((entry) => entry.user);
    const { store } = options;

    let events = 0;
    let position: bigint | undefined;
    let inTransaction = 0;
    const begin = () => {
      db.exec("BEGIN");
      for (const entry of entries) entry.apply.beginBatch?.();
    };
    let last: RecordedEvent | undefined;
    // Buffered rows are written here: a row SQLite refuses stops the build like an event would.
    const flushing = (entry: (typeof entries)[number], write: (() => void) | undefined) => {
      try {
        write?.();
      } catch (error) {
        if (last === undefined) throw error;
        throw new BulkApplyError(entry.name, last, error);
      }
    };
    const commit = () => {
      for (const entry of entries) flushing(entry, entry.apply.endBatch);
      db.exec("COMMIT");
      inTransaction = 0;
      options.onProgress?.(events);
    };
    begin();
    for await (const page of pagesOf(store, streamPrefixes, pageSize)) {
      for (const recorded of page) {
        position = recorded.position;
        last = recorded;
        const kind = streamKind(recorded.streamId);
        if (kind === undefined) continue;
        let projected: ProjectedEvent | undefined;
        try {
          projected = toTrustedProjectedEvent(recorded);
        } catch (error) {
          throw new BulkApplyError((kind === "giveaway" ? giveawayEntries : userEntries)[0]?.name ?? "?", recorded, error);
        }
        if (projected === undefined) continue;
        const targets = kind === "giveaway" ? giveawayEntries : userEntries;
        for (const entry of targets) {
          try {
            entry.apply(projected);
          } catch (error) {
            throw new BulkApplyError(entry.name, recorded, error);
          }
        }
        if (targets.length > 0) events += 1;
        if (++inTransaction >= transactionEvents) {
          commit();
          begin();
        }
      }
    }
    commit();

    db.exec("BEGIN");
    for (const entry of entries) flushing(entry, entry.finish);
    for (const sql of deferred) db.exec(sql);
    if (position !== undefined) {
      const writer = projectionStatusWriter(db);
      writer.positions(entries.map((entry) => entry.name), position);
      db.prepare("INSERT INTO checkpoint (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position").run(position.toString());
    }
    db.exec("COMMIT");
    // Served from here on like any read-model file: WAL, and on disk before anyone renames it.
    db.pragma("locking_mode = NORMAL");
    db.pragma("journal_mode = WAL");
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    const fd = openSync(options.file, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { events, position };
  } finally {
    if (db.open) db.close();
  }
}

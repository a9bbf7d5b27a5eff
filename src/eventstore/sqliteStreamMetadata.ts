// The embedded store's stream metadata ($maxAge, $maxCount): which events of a stream reads still
// show, and a scavenge that deletes the rest, as EventStoreDB's scavenge does.
import type Database from "better-sqlite3";
import { checkStreamMetadata, type StreamMetadata } from "./port.ts";

export const streamMetadataSchema = `
CREATE TABLE IF NOT EXISTS stream_metadata (stream_id TEXT PRIMARY KEY, max_age INTEGER, max_count INTEGER);
`;

export interface SqliteStreamMetadata {
  set(streamId: string, metadata: StreamMetadata): void;
  get(streamId: string): StreamMetadata;
  /** The first revision a read may show, given the stream's current last revision. */
  firstVisibleRevision(streamId: string, current: bigint): bigint;
  /** Deletes every event the metadata hides; returns how many. */
  scavenge(): number;
}

interface MetadataRow {
  max_age: number | null;
  max_count: number | null;
}

export function prepareStreamMetadata(db: Database.Database, now: () => Date): SqliteStreamMetadata {
  db.exec(streamMetadataSchema);
  const upsert = db.prepare(
    "INSERT INTO stream_metadata (stream_id, max_age, max_count) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET max_age = excluded.max_age, max_count = excluded.max_count",
  );
  const select = db.prepare<[string], MetadataRow>("SELECT max_age, max_count FROM stream_metadata WHERE stream_id = ?");
  const firstYoungEnough = db
    .prepare<[string, bigint], { revision: bigint | null }>("SELECT min(revision) AS revision FROM events WHERE stream_id = ? AND created >= ?")
    .safeIntegers();
  const deleteHidden = db.prepare(`
    DELETE FROM events WHERE position IN (
      SELECT e.position FROM stream_metadata m
      JOIN streams s ON s.stream_id = m.stream_id
      JOIN events e ON e.stream_id = m.stream_id
      WHERE (m.max_count IS NOT NULL AND e.revision <= s.revision - m.max_count)
         OR (m.max_age IS NOT NULL AND e.created < ? - m.max_age * 1000))`);

  return {
    set(streamId, metadata) {
      const checked = checkStreamMetadata(streamId, metadata);
      upsert.run(streamId, checked.maxAge ?? null, checked.maxCount ?? null);
    },
    get(streamId) {
      const row = select.get(streamId);
      const metadata: StreamMetadata = {};
      if (row?.max_age != null) metadata.maxAge = row.max_age;
      if (row?.max_count != null) metadata.maxCount = row.max_count;
      return metadata;
    },
    firstVisibleRevision(streamId, current) {
      const row = select.get(streamId);
      if (!row) return 0n;
      let first = 0n;
      if (row.max_count != null) first = current - BigInt(row.max_count) + 1n;
      if (row.max_age != null) {
        const young = firstYoungEnough.get(streamId, BigInt(now().getTime() - row.max_age * 1000))?.revision;
        const byAge = young ?? current + 1n; // none young enough: the whole stream has expired
        if (byAge > first) first = byAge;
      }
      return first < 0n ? 0n : first;
    },
    scavenge() {
      return deleteHidden.run(now().getTime()).changes;
    },
  };
}

// The timeline projection for a bulk build (bulkRebuild.ts): the same rows as timelineProjection.ts
// (its own applier), written many to an INSERT (bulkWriters.ts). Nothing reads the timeline while
// a build projects, so the rows wait for the end of the batch.
import type Database from "better-sqlite3";
import { multiRowInserter } from "./bulkWriters.ts";
import type { BulkApply } from "./inboxBulk.ts";
import { timelineApplier, timelineColumns, timelineInsert } from "./timelineProjection.ts";

export function prepareTimelineBulk(db: Database.Database): BulkApply {
  const rows = multiRowInserter(db, timelineInsert, timelineColumns);
  const apply = timelineApplier((giveawayId, revision, kind, messageId, userId, at, data) => rows.push(giveawayId, revision, kind, messageId, userId, at, data));
  return Object.assign(apply, { endBatch: () => rows.flush(), finish: () => rows.flush() });
}

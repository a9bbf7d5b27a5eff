// A projection test kit: given some domain events, then these read model rows. No server, no store:
// the events are recorded as the store would record them (stream, revision, position, created time,
// event id), checked against the catalogue as the runner checks them, and applied through every
// read model's own `prepare(db)` into an in-memory read model database, one batch per `given`/`and`
// (beginBatch, each event through every projection in dependency order, endBatch, in a transaction),
// as the runner applies a batch.
//
//   const models = given(inGiveaway(giveawayId, created(), entered(alice), drawn(alice)));
//   expect(models.rows("giveaways")).toMatchObject([{ status: "drawn", winner_id: alice }]);
//   models.and(inGiveaway(giveawayId, messageSent(...)));   // a later batch, as live
//   giveawaysQueries(models.db).giveawayById(giveawayId);  // or the read model's own queries
//
// Call it inside a test: the database closes when the test ends (onTestFinished).
//
// It uses only what a read model is (`Projection`, `declaredReadModels`, `openReadModelDatabase`) and the
// event catalogue: nothing of the runner's or a rebuild engine's internals.
//
// (The result has no `then` method on purpose: an object with one is a "thenable", and `await` or a
// test returning it would call it.)
import type Database from "better-sqlite3";
import { onTestFinished } from "vitest";
import { isGiveawayEventType, isUserEventType, parseGiveawayEvent, parseUserEvent, type GiveawayEvent, type UserEvent } from "../../src/domain/events.ts";
import { giveawayIdFromStream, giveawayStream, streamOfUserEvent, userStreamPrefix } from "../../src/domain/streams.ts";
import type { RecordedEvent } from "../../src/eventstore/port.ts";
import type { ProjectedEvent, Projection, ProjectionApply } from "../../src/projections/projection.ts";
import { openReadModelDatabase } from "../../src/projections/readModelDatabase.ts";
import { declaredReadModels } from "../../src/app/declaredParts.ts";

/** An event as a test gives it: where it goes, and the payload (checked against the catalogue when applied). */
export interface GivenEvent {
  streamId: string;
  type: string;
  data: unknown;
  /** The store's commit time; default: the kit's clock, one second per event. */
  created?: Date;
}

type Given = GivenEvent | readonly Given[];

/** Events of one giveaway's stream, in order. */
export function inGiveaway(giveawayId: string, ...events: GiveawayEvent[]): GivenEvent[] {
  const streamId = giveawayStream(giveawayId);
  return events.map((event) => ({ streamId, type: event.type, data: event.data }));
}

/** User events, each in the stream the app writes it to (user-<id>, username-<name>, platformtoken-<digest>). */
export function byUser(...events: UserEvent[]): GivenEvent[] {
  return events.map((event) => ({ streamId: streamOfUserEvent(event), type: event.type, data: event.data }));
}

export interface KitOptions {
  /** Default: every read model, in `declaredReadModels` order (the inbox reads the giveaways and messages). */
  projections?: readonly Projection[];
  /** "together" (default): each given/and is one batch, as when catching up; "one-by-one": one batch per event, as live. */
  batches?: "together" | "one-by-one";
  /** The first event's `created`; later ones one second apart. */
  startsAt?: Date;
}

export interface ReadModels {
  readonly db: Database.Database;
  /** Every event recorded so far, as the projections saw it. */
  readonly recorded: readonly RecordedEvent[];
  /** Later events, in their own batch (or batches). */
  and(...events: Given[]): ReadModels;
  /** A table's rows (optionally only those matching every `where` column), ordered by every column. */
  rows(table: string, where?: Record<string, unknown>): Record<string, unknown>[];
  /** The revision the last given event of this stream was recorded at. */
  revisionOf(streamId: string): number;
}

const eventId = (position: number) => `00000000-0000-4000-8000-${position.toString(16).padStart(12, "0")}`;

/** The runner's own reading of a recorded event (same catalogue, same streams); undefined: no read model follows it. */
function project(recorded: RecordedEvent): ProjectedEvent | undefined {
  const giveawayId = giveawayIdFromStream(recorded.streamId);
  if (giveawayId !== undefined && isGiveawayEventType(recorded.type)) {
    return { stream: "giveaway", giveawayId, recorded, event: parseGiveawayEvent(recorded.type, recorded.data) };
  }
  if (recorded.streamId.startsWith(userStreamPrefix) && isUserEventType(recorded.type)) {
    return { stream: "user", recorded, event: parseUserEvent(recorded.type, recorded.data) };
  }
  if (giveawayId !== undefined || recorded.streamId.startsWith(userStreamPrefix)) {
    // The runner would stop the projection on it: a test that gives one means something else.
    throw new Error(`no ${recorded.type} event in the catalogue for ${recorded.streamId}`);
  }
  return undefined;
}

function flatten(events: readonly Given[]): GivenEvent[] {
  return events.flatMap((each) => (Array.isArray(each) ? flatten(each as readonly Given[]) : [each as GivenEvent]));
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Every row of a table, ordered by every column: a stable order whatever the insertion order was. */
export function tableRows(db: Database.Database, table: string, where: Record<string, unknown> = {}): Record<string, unknown>[] {
  const columns = db.prepare<[string], { name: string }>("SELECT name FROM pragma_table_info(?)").all(table);
  if (columns.length === 0) throw new Error(`no table ${table}`);
  const filters = Object.keys(where);
  for (const column of filters) if (!columns.some((each) => each.name === column)) throw new Error(`no column ${column} in ${table}`);
  const clause = filters.length === 0 ? "" : ` WHERE ${filters.map((column) => `${quote(column)} IS ?`).join(" AND ")}`;
  const order = columns.map((column) => quote(column.name)).join(", ");
  return db.prepare<unknown[], Record<string, unknown>>(`SELECT * FROM ${quote(table)}${clause} ORDER BY ${order}`).all(...filters.map((column) => where[column]));
}

/** A fresh in-memory read model database and the events given to it; closed when the test ends. */
export function projectionKit(options: KitOptions = {}) {
  const db = openReadModelDatabase(":memory:", declaredReadModels);
  onTestFinished(() => {
    db.close();
  });
  const applies: ProjectionApply[] = (options.projections ?? declaredReadModels).map((projection) => projection.prepare(db));
  const recorded: RecordedEvent[] = [];
  const revisions = new Map<string, number>();
  let clock = (options.startsAt ?? new Date("2025-01-02T03:04:05.000Z")).getTime();

  const applyBatch = db.transaction((batch: RecordedEvent[]) => {
    for (const apply of applies) apply.beginBatch?.();
    for (const event of batch) {
      const projected = project(event);
      if (projected) for (const apply of applies) apply(projected);
    }
    for (const apply of applies) apply.endBatch?.();
  });

  const record = (given: GivenEvent): RecordedEvent => {
    const revision = (revisions.get(given.streamId) ?? -1) + 1;
    revisions.set(given.streamId, revision);
    const position = recorded.length + 1;
    const created = given.created ?? new Date(clock);
    clock += 1000;
    const event: RecordedEvent = {
      id: eventId(position),
      type: given.type,
      data: given.data,
      metadata: {},
      streamId: given.streamId,
      revision: BigInt(revision),
      position: BigInt(position),
      created,
    };
    recorded.push(event);
    return event;
  };

  const models: ReadModels = {
    db,
    recorded,
    and(...events) {
      const records = flatten(events).map(record);
      if (options.batches === "one-by-one") for (const event of records) applyBatch([event]);
      else applyBatch(records);
      return models;
    },
    rows: (table, where) => tableRows(db, table, where),
    revisionOf(streamId) {
      const revision = revisions.get(streamId);
      if (revision === undefined) throw new Error(`nothing given in ${streamId}`);
      return revision;
    },
  };
  return { given: (...events: Given[]) => models.and(...events) };
}

/** given(events) over a fresh kit with every read model, the events in one batch. */
export function given(...events: Given[]): ReadModels {
  return projectionKit().given(...events);
}

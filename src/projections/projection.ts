// What a read model is to the runner: its tables, and how one event changes them.
import type Database from "better-sqlite3";
import type { GiveawayEvent, UserEvent } from "../domain/events.ts";
import type { RecordedEvent } from "../eventstore/port.ts";

/** A recorded event with its payload checked against the catalogue. */
export type ProjectedEvent =
  | { stream: "giveaway"; giveawayId: string; recorded: RecordedEvent; event: GiveawayEvent }
  | { stream: "user"; recorded: RecordedEvent; event: UserEvent };

export interface Projection {
  name: string;
  /** Which streams it reads (default: both); an event of any other stream never stops it. */
  streams?: readonly ProjectedEvent["stream"][];
  /** CREATE TABLE IF NOT EXISTS ... */
  schema: string;
  /** Prepares its statements once, and returns how it applies an event (inside the runner's transaction). */
  prepare(db: Database.Database): ProjectionApply;
  /** What it answers: prepared once per file (again after a swap), merged with the others' (prepareQueries). */
  queries?(db: Database.Database): object;
}

type QueriesOfOne<P> = P extends { queries(db: Database.Database): infer Q } ? Q : never;
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Every query a list of read models answers, as one object's type. */
export type QueriesOf<P extends readonly Projection[]> = Intersection<QueriesOfOne<P[number]>>;

/** Prepares every read model's queries on `db`, merged into one object. */
export function prepareQueries<P extends readonly Projection[]>(db: Database.Database, projections: P): QueriesOf<P> {
  return Object.assign({}, ...projections.map((projection) => projection.queries?.(db) ?? {})) as QueriesOf<P>;
}

/**
 * How a projection applies an event; optionally, what it writes once per batch instead of once per
 * event (inside the batch's transaction, after its last event), and how it forgets a batch whose
 * transaction was rolled back.
 */
export type ProjectionApply = ((event: ProjectedEvent) => void) & { endBatch?: () => void; beginBatch?: () => void };

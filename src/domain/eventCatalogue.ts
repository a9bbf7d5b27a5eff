// One registration table per family of events (giveaway, pickup, conversation, user): each event
// type's schema under its name. The union type, the type guard and the checked parser all come from
// the table, so a new event type is one line in one place.
import { z } from "zod";

export type EventSchemas = Record<string, z.ZodType>;

/** The events a table describes: `{ type: "Name"; data: <the schema's output> }` for each entry. */
export type EventsOf<T extends EventSchemas> = { [K in keyof T & string]: { type: K; data: z.output<T[K]> } }[keyof T & string];

export interface EventFamily<T extends EventSchemas> {
  readonly schemas: T;
  readonly types: readonly (keyof T & string)[];
  has(type: string): type is keyof T & string;
  /** Throws on an unknown type or data that does not fit its schema. */
  parse(type: string, data: unknown): EventsOf<T>;
}

export function eventFamily<T extends EventSchemas>(family: string, schemas: T): EventFamily<T> {
  const has = (type: string): type is keyof T & string => Object.hasOwn(schemas, type);
  return {
    schemas,
    types: Object.keys(schemas) as (keyof T & string)[],
    has,
    parse(type, data) {
      if (!has(type)) throw new Error(`unknown ${family} event type: ${type}`);
      const result = schemas[type]!.safeParse(data);
      if (!result.success) throw new Error(`invalid ${type} event: ${z.prettifyError(result.error)}`);
      return { type, data: result.data } as EventsOf<T>;
    },
  };
}

// The one id format: a lower-case UUID. Giveaway, user and message ids arrive in paths, forms,
// JSON bodies and hidden fields; every one is checked here, so no other spelling of an id can
// name (or create) a second aggregate. Anything else is "no such thing" (404) or a bad field (422).
import { z } from "zod";

const lowerCaseUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The events' own check (z.uuid: version and variant) on top of the lower-case shape. */
export const IdSchema = z.string().regex(lowerCaseUuid, "must be a lower-case UUID").pipe(z.uuid("must be a lower-case UUID"));

export function isId(value: unknown): value is string {
  return IdSchema.safeParse(value).success;
}

/**
 * The ids inside stored events: any RFC UUID, in either case. Events are checked with this when
 * written and when read, and events are forever: a store written before the lower-case rule may
 * hold an upper-case id, and must still load. Every id that comes in passes IdSchema first, so no
 * new event gets one.
 */
export const StoredIdSchema = z.uuid();

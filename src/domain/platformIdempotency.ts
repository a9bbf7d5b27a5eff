// The platform's changing calls carry an Idempotency-Key: the first answer to a key (scoped to the
// service key's name) is recorded in a stream of its own, so a retry answers it again, on any process
// and after a restart. Pure: the hashes and the time come from the caller.
import { z } from "zod";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** What the header may be: 1 to 255 printable ASCII characters. */
export const IdempotencyKeySchema = z.string().regex(/^[\x20-\x7e]{1,255}$/, "must be 1 to 255 printable characters");

export const IdempotentAnswerRecordedSchema = z.object({
  keyName: z.string().min(1),
  /** SHA-256 of the Idempotency-Key (the stream's name carries it too). */
  idempotencyKeyHash: sha256Hex,
  /** SHA-256 of method, path and canonical body: the same key for another request is a conflict. */
  requestHash: sha256Hex,
  status: z.int().min(200).max(299),
  body: z.unknown(),
  recordedAt: z.iso.datetime(),
});

export const idempotencyEvents = eventFamily("idempotency", {
  IdempotentAnswerRecorded: IdempotentAnswerRecordedSchema,
});

export type IdempotencyEvent = EventsOf<typeof idempotencyEvents.schemas>;
export type IdempotentAnswer = z.output<typeof IdempotentAnswerRecordedSchema>;

/** The first recorded answer stands; a later one (another process's) is never folded over it. */
export function recordedAnswerOf(events: Iterable<IdempotencyEvent>): IdempotentAnswer | undefined {
  for (const event of events) return event.data;
  return undefined;
}

/** A retry replays the answer; the same key for another request is refused. */
export function replayOf(recorded: IdempotentAnswer, requestHash: string): { status: number; body: unknown } | "conflict" {
  return recorded.requestHash === requestHash ? { status: recorded.status, body: recorded.body } : "conflict";
}

// Where a replay stops: at a stream revision or at a moment, both inclusive.
import { z } from "zod";
import type { RecordedEvent } from "../eventstore/port.ts";

export type Until = { kind: "revision"; revision: bigint } | { kind: "time"; at: Date };

export type UntilParse = { ok: true; until: Until } | { ok: false; message: string };

const isoDateTime = z.iso.datetime({ offset: true, local: true });
const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/** A whole number is a revision; an ISO 8601 date-time is a time (without a zone it is taken as UTC). */
export function parseUntil(text: string): UntilParse {
  const value = text.trim();
  if (/^\d+$/.test(value)) {
    if (value.length > 15) return { ok: false, message: `revision ${value} is out of range` };
    return { ok: true, until: { kind: "revision", revision: BigInt(value) } };
  }
  if (isoDateTime.safeParse(value).success) {
    const at = new Date(hasZone.test(value) ? value : `${value}Z`);
    if (!Number.isNaN(at.getTime())) return { ok: true, until: { kind: "time", at } };
  }
  return { ok: false, message: "until must be a revision (a whole number from 0) or an ISO 8601 date-time such as 2024-05-01T12:00:00Z" };
}

/** True for the first event past the cut: it and everything after it are left out. */
export function isBeyond(event: RecordedEvent, until: Until | undefined): boolean {
  if (until === undefined) return false;
  return until.kind === "revision" ? event.revision > until.revision : event.created.getTime() > until.at.getTime();
}

/**
 * The stream as it stood at the cut: every event up to the first one beyond it. By time, that is
 * the prefix recorded at or before the moment (a stream is recorded in order).
 */
export async function* cutAt(events: AsyncIterable<RecordedEvent>, until: Until | undefined): AsyncGenerator<RecordedEvent> {
  for await (const event of events) {
    if (isBeyond(event, until)) return;
    yield event;
  }
}

export function describeUntil(until: Until | undefined): string {
  if (until === undefined) return "the latest event";
  return until.kind === "revision" ? `revision ${until.revision}` : until.at.toISOString();
}

// Checks one stream's hash chain event by event (pure): recompute each hash from the stored event,
// and ask that it chains to the previous event's. The first break is named and classified.
import { EventMetadataSchema, type EventMetadata } from "../domain/eventMetadata.ts";
import { chainHash, genesisHash } from "../domain/hashChain.ts";
import type { RecordedEvent } from "../eventstore/port.ts";

export type ChainBreakKind = "altered" | "removed" | "reordered";

export interface ChainBreak {
  kind: ChainBreakKind;
  streamId: string;
  /** Where the chain breaks: the altered or misplaced event's revision, or the first missing one. */
  revision: bigint;
  /** The event named; undefined when it is the one that is missing. */
  eventId: string | undefined;
  detail: string;
}

/** Where a stream's check stands: the revision expected next and the hash it must chain to. */
export interface ChainCursor {
  streamId: string;
  next: bigint;
  lastHash: string;
  lastEventId: string | undefined;
}

export type ChainStep = { ok: true; cursor: ChainCursor } | { ok: false; break: ChainBreak };

export function startChain(streamId: string): ChainCursor {
  return { streamId, next: 0n, lastHash: genesisHash, lastEventId: undefined };
}

/** How far around its stored revision a misplaced event is looked for (only once, at the break). */
const reorderSearchWindow = 10_000n;

export function hashOf(event: RecordedEvent, metadata: EventMetadata, revision: bigint): string {
  return chainHash({
    prevHash: metadata.prevHash,
    streamId: event.streamId,
    revision: revision.toString(),
    id: event.id,
    type: event.type,
    data: event.data,
    actorId: metadata.actorId,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
  });
}

/** The revision this event's hash was made for, when it is not the one it is stored at. */
function writtenAt(event: RecordedEvent, metadata: EventMetadata): bigint | undefined {
  const low = event.revision > reorderSearchWindow ? event.revision - reorderSearchWindow : 0n;
  for (let revision = low; revision <= event.revision + reorderSearchWindow; revision++) {
    if (revision !== event.revision && hashOf(event, metadata, revision) === metadata.hash) return revision;
  }
  return undefined;
}

/** Checks the next event in stored order. */
export function checkNext(cursor: ChainCursor, event: RecordedEvent): ChainStep {
  const at = (kind: ChainBreakKind, revision: bigint, eventId: string | undefined, detail: string): ChainStep => ({
    ok: false,
    break: { kind, streamId: cursor.streamId, revision, eventId, detail },
  });
  if (event.revision < cursor.next) {
    return at("reordered", event.revision, event.id, `revision ${event.revision} is stored after revision ${cursor.next - 1n}`);
  }
  if (event.revision > cursor.next) {
    const missing = event.revision - cursor.next === 1n ? `revision ${cursor.next} is` : `revisions ${cursor.next} to ${event.revision - 1n} are`;
    return at("removed", cursor.next, undefined, `${missing} missing: the stream goes on at revision ${event.revision} (event ${event.id})`);
  }
  const parsed = EventMetadataSchema.safeParse(event.metadata);
  if (!parsed.success) return at("altered", event.revision, event.id, "its metadata has no valid chain hash (actorId, correlationId, causationId, prevHash, hash)");
  const metadata = parsed.data;
  if (hashOf(event, metadata, event.revision) !== metadata.hash) {
    const original = writtenAt(event, metadata);
    if (original !== undefined) {
      return at("reordered", event.revision, event.id, `the event stored at revision ${event.revision} was written at revision ${original}`);
    }
    return at("altered", event.revision, event.id, "its stored content does not match its hash (data, type, id or metadata changed)");
  }
  if (metadata.prevHash !== cursor.lastHash) {
    if (event.revision === 0n) return at("altered", 0n, event.id, "the first event does not chain to the genesis hash");
    // This event is intact, so the one before it is not the event it was chained to.
    return at(
      "altered",
      event.revision - 1n,
      cursor.lastEventId,
      `it was replaced or rehashed: the next event (revision ${event.revision}, ${event.id}) chains to ${metadata.prevHash}, not to its hash ${cursor.lastHash}`,
    );
  }
  return { ok: true, cursor: { streamId: cursor.streamId, next: event.revision + 1n, lastHash: metadata.hash, lastEventId: event.id } };
}

export function describeBreak(found: ChainBreak): string {
  const event = found.eventId === undefined ? "" : ` event ${found.eventId}`;
  return `${found.streamId} revision ${found.revision}${event}: ${found.kind}: ${found.detail}`;
}

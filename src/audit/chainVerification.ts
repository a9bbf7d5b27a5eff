// Verifies giveaway hash chains straight from the store: one giveaway, or every giveaway stream.
import { giveawayStream, giveawayStreamPrefix } from "../domain/streams.ts";
import type { EventStore } from "../eventstore/port.ts";
import { checkNext, startChain, type ChainBreak, type ChainCursor } from "./chainCheck.ts";
import { readAllPages, readStreamPages } from "./storePages.ts";

export interface StreamVerification {
  streamId: string;
  events: number;
  /** The first break, if any. */
  break: ChainBreak | undefined;
  /** The last event that chains correctly: its revision (-1 when none) and hash. */
  head: { revision: bigint; hash: string };
}

export interface LogVerification {
  streams: number;
  events: number;
  /** The first break of each broken stream, in the order they were found. */
  breaks: ChainBreak[];
}

/** Called every page with the number of events checked so far. */
export type OnProgress = (eventsChecked: number) => void;

function headOf(cursor: ChainCursor) {
  return { revision: cursor.next - 1n, hash: cursor.lastHash };
}

/** Checks one stream in revision order. StreamNotFoundError when it does not exist. */
export async function verifyStream(store: EventStore, streamId: string, onProgress?: OnProgress): Promise<StreamVerification> {
  let cursor = startChain(streamId);
  let events = 0;
  for await (const event of readStreamPages(store, streamId)) {
    events += 1;
    if (events % 1000 === 0) onProgress?.(events);
    const step = checkNext(cursor, event);
    if (!step.ok) return { streamId, events, break: step.break, head: headOf(cursor) };
    cursor = step.cursor;
  }
  onProgress?.(events);
  return { streamId, events, break: undefined, head: headOf(cursor) };
}

export function verifyGiveaway(store: EventStore, giveawayId: string, onProgress?: OnProgress): Promise<StreamVerification> {
  return verifyStream(store, giveawayStream(giveawayId), onProgress);
}

/**
 * Every giveaway stream in one pass over the global log. A stream's events come in revision order
 * there; when one does not check out, that stream is read again on its own (in revision order) to
 * name the break precisely.
 */
export async function verifyAllGiveaways(store: EventStore, onProgress?: OnProgress): Promise<LogVerification> {
  const cursors = new Map<string, ChainCursor>();
  const broken = new Set<string>();
  const breaks: ChainBreak[] = [];
  let events = 0;
  for await (const event of readAllPages(store, { streamPrefixes: [giveawayStreamPrefix] })) {
    events += 1;
    if (events % 1000 === 0) onProgress?.(events);
    if (broken.has(event.streamId)) continue;
    const step = checkNext(cursors.get(event.streamId) ?? startChain(event.streamId), event);
    if (step.ok) {
      cursors.set(event.streamId, step.cursor);
      continue;
    }
    const alone = await verifyStream(store, event.streamId);
    // Intact in revision order but not in log order: the log itself was reordered.
    breaks.push(
      alone.break ?? {
        kind: "reordered",
        streamId: event.streamId,
        revision: event.revision,
        eventId: event.id,
        detail: `the global log holds revision ${event.revision} where revision ${cursors.get(event.streamId)?.next ?? 0n} belongs`,
      },
    );
    broken.add(event.streamId);
    cursors.delete(event.streamId);
  }
  onProgress?.(events);
  return { streams: cursors.size + broken.size, events, breaks };
}

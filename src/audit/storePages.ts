// Reads a stream or the global log page by page, so a long history never sits in memory at once.
import type { EventStore, RecordedEvent } from "../eventstore/port.ts";

export const defaultPageSize = 500;

/** Forwards from `fromRevision`; a missing stream throws StreamNotFoundError on the first page. */
export async function* readStreamPages(
  store: EventStore,
  streamId: string,
  options: { fromRevision?: bigint; pageSize?: number } = {},
): AsyncGenerator<RecordedEvent> {
  const pageSize = options.pageSize ?? defaultPageSize;
  let from = options.fromRevision ?? 0n;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision: from, maxCount: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    from = page[page.length - 1]!.revision + 1n;
  }
}

const keyOf = (event: RecordedEvent) => `${event.streamId}\u0000${event.id}`;

/**
 * The global log in position order. Each page starts at the last position seen (inclusive) and
 * skips what was already yielded there, so events that share a log position are never lost.
 */
export async function* readAllPages(
  store: EventStore,
  options: { streamPrefixes?: string[]; pageSize?: number } = {},
): AsyncGenerator<RecordedEvent> {
  const pageSize = options.pageSize ?? defaultPageSize;
  let from: bigint | "start" = "start";
  let seenAtFrom = new Set<string>();
  for (;;) {
    const page: RecordedEvent[] = await store.readAll({ fromPosition: from, maxCount: pageSize, streamPrefixes: options.streamPrefixes });
    let fresh = 0;
    for (const event of page) {
      if (event.position === from && seenAtFrom.has(keyOf(event))) continue;
      fresh += 1;
      yield event;
    }
    if (page.length < pageSize) return;
    if (fresh === 0) throw new Error(`${pageSize} or more events share log position ${String(from)}: read with a larger page`);
    const last = page[page.length - 1]!.position;
    const atLast = page.filter((event) => event.position === last).map(keyOf);
    seenAtFrom = last === from ? new Set([...seenAtFrom, ...atLast]) : new Set(atLast);
    from = last;
  }
}

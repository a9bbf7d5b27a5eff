// Read the stream, fold, decide, append at the expected revision; on a conflict, read again and retry.
import type { DomainError } from "../domain/errors.ts";
import { parseGiveawayEvent, type GiveawayEvent } from "../domain/events.ts";
import { foldGiveaway, initialState, type GiveawayState } from "../domain/giveaway.ts";
import { decide, type GiveawayCommand } from "../domain/giveawayDecide.ts";
import { chainHash, genesisHash } from "../domain/hashChain.ts";
import { giveawayStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore, type EventToAppend, type RecordedEvent } from "../eventstore/port.ts";
import { EventMetadataSchema, type CommandContext, type EventMetadata } from "../domain/eventMetadata.ts";
import { FoldedStreamCache, type FoldedStream } from "./foldedStreamCache.ts";

export interface AppendedGiveawayEvent {
  event: GiveawayEvent;
  id: string;
  revision: bigint;
}

export type GiveawayCommandResult =
  /** `appended` is empty when nothing was written: the command was already satisfied (e.g. a retried send). */
  | { ok: true; state: GiveawayState; appended: AppendedGiveawayEvent[]; revision: bigint }
  | { ok: false; error: DomainError };

export interface GiveawayCommandHandlerOptions {
  store: EventStore;
  newId: () => string;
  maxAttempts?: number;
  /** Estimated bytes of folded streams kept in memory, so a send reads only what is new since the last one. */
  cacheBytes?: number;
}

export interface GiveawayCommandHandler {
  (giveawayId: string, command: GiveawayCommand, context: CommandContext): Promise<GiveawayCommandResult>;
  /** The cache's size, for tests and metrics. */
  cacheStats(): { streams: number; bytes: number; maxBytes: number };
}

const defaultCacheBytes = 64 * 1024 * 1024;
/** Events read and folded at a time when a stream is loaded. */
export const loadPageSize = 1000;

export function createGiveawayCommandHandler(options: GiveawayCommandHandlerOptions): GiveawayCommandHandler {
  const { store, newId } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const cache = new FoldedStreamCache(options.cacheBytes ?? defaultCacheBytes);

  async function load(streamId: string): Promise<FoldedStream> {
    const cached = cache.get(streamId) ?? { state: initialState, revision: -1n, lastHash: genesisHash };
    let folded = cached;
    // A page at a time: a long conversation read whole would hold every event at once (its rows,
    // parsed data and domain events), and the old-space collections of that cost more than the fold.
    for (;;) {
      let recorded: RecordedEvent[];
      try {
        recorded = await store.readStream(streamId, { fromRevision: folded.revision + 1n, maxCount: loadPageSize });
      } catch (error) {
        if (hasErrorCode(error, "stream_not_found")) return folded;
        throw error;
      }
      if (recorded.length === 0) break;
      const last = recorded[recorded.length - 1]!;
      const state = foldGiveaway(
        recorded.map((event) => ({ event: parseGiveawayEvent(event.type, event.data), revision: Number(event.revision) })),
        folded.state,
      );
      // The hash the next event chains to is always the stored one, never one computed here.
      folded = { state, revision: last.revision, lastHash: EventMetadataSchema.parse(last.metadata).hash };
      if (recorded.length < loadPageSize) break;
      // Let the rest of the server run between pages: loading a long conversation takes seconds, and
      // every other request would wait for all of it.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Nothing new (a warm send): the cache already holds it.
    if (folded !== cached) cache.set(streamId, folded);
    return folded;
  }

  // Commands on one stream in this process take turns, and those that arrive while one is being
  // stored go together: decided one after another, each against the state the ones before it made,
  // then stored as one append (one commit, not one each). No wasted conflicts between our own requests.
  const queues = new Map<string, QueuedCommand[]>();

  const handle = (giveawayId: string, command: GiveawayCommand, context: CommandContext) => {
    const streamId = giveawayStream(giveawayId);
    return new Promise<GiveawayCommandResult>((resolve, reject) => {
      const queue = queues.get(streamId);
      if (queue) return void queue.push({ command, context, resolve, reject });
      queues.set(streamId, [{ command, context, resolve, reject }]);
      void drain(streamId);
    });
  };
  return Object.assign(handle, { cacheStats: () => cache.stats() });

  async function drain(streamId: string): Promise<void> {
    for (;;) {
      const queue = queues.get(streamId)!;
      const batch = queue.splice(0, maxBatch);
      if (batch.length === 0) {
        queues.delete(streamId);
        return;
      }
      try {
        const results = await decideAndAppend(streamId, batch);
        batch.forEach((queued, index) => queued.resolve(results[index]!));
      } catch (error) {
        for (const queued of batch) queued.reject(error);
      }
    }
  }

  // Conflicts can still come from another process on the same store: read again and decide again.
  async function decideAndAppend(streamId: string, batch: QueuedCommand[]): Promise<GiveawayCommandResult[]> {
    for (let attempt = 1; ; attempt++) {
      const current = await load(streamId);
      let { state, revision } = current;
      let lastHash = current.lastHash;
      const toAppend: EventToAppend[] = [];
      const results: GiveawayCommandResult[] = batch.map(({ command, context }) => {
        const decision = decide(command, state, Number(revision));
        if (!decision.ok) return decision;
        const appended: AppendedGiveawayEvent[] = decision.events.map((decided) => {
          const event = parseGiveawayEvent(decided.type, decided.data); // validated when written, too
          revision += 1n;
          // A message's id is the client's (a system message's, the platform's), so a retried send is the same event to the store too.
          const id = event.type === "MessageSent" || event.type === "SystemMessagePosted" ? event.data.messageId : newId();
          const prevHash = lastHash;
          lastHash = chainHash({ prevHash, streamId, revision: revision.toString(), id, type: event.type, data: event.data, ...context });
          const metadata: EventMetadata = { ...context, prevHash, hash: lastHash };
          toAppend.push({ id, type: event.type, data: event.data, metadata });
          return { event, id, revision };
        });
        state = foldGiveaway(appended.map(({ event, revision }) => ({ event, revision: Number(revision) })), state);
        return { ok: true, state, appended, revision };
      });
      if (toAppend.length === 0) return results;

      let outcome;
      try {
        const expectedRevision = current.revision < 0n ? "no_stream" : current.revision;
        outcome = (await store.appendToStream(streamId, toAppend, { expectedRevision })).outcome;
      } catch (error) {
        if (!hasErrorCode(error, "wrong_expected_revision") || attempt >= maxAttempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        continue;
      }
      if (outcome === "written") {
        cache.set(streamId, { state, revision, lastHash });
        return results;
      }
      // Someone (another handler or process) stored these ids first, maybe with other content and
      // hashes: read what is stored and decide again, which answers a retry or refuses a clash.
      if (attempt >= maxAttempts) throw new Error(`${streamId}: append deduplicated ${attempt} times`);
    }
  }
}

interface QueuedCommand {
  command: GiveawayCommand;
  context: CommandContext;
  resolve(result: GiveawayCommandResult): void;
  reject(error: unknown): void;
}

/** Commands stored together at most: bounds one append's size and one decision loop's time. */
const maxBatch = 64;

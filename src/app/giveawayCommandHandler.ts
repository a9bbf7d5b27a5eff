// Read the stream, fold, decide, append at the expected revision; on a conflict, read again and retry.
import type { DomainError } from "../domain/errors.ts";
import { parseGiveawayEvent, type GiveawayEvent } from "../domain/events.ts";
import { evolve, foldGiveaway, initialState, type GiveawayState } from "../domain/giveaway.ts";
import { decide, type GiveawayCommand } from "../domain/giveawayDecide.ts";
import { chainHash, genesisHash } from "../domain/hashChain.ts";
import { giveawayStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore, type EventToAppend, type RecordedEvent } from "../eventstore/port.ts";
import { EventMetadataSchema, type CommandContext, type EventMetadata } from "./eventMetadata.ts";

/** A stream folded up to `revision` (-1n: no stream yet), and the hash its next event chains to. */
interface FoldedStream {
  state: GiveawayState;
  revision: bigint;
  lastHash: string;
}

export interface AppendedGiveawayEvent {
  event: GiveawayEvent;
  id: string;
  revision: bigint;
}

export type GiveawayCommandResult =
  | { ok: true; state: GiveawayState; appended: AppendedGiveawayEvent[]; revision: bigint }
  | { ok: false; error: DomainError };

export interface GiveawayCommandHandlerOptions {
  store: EventStore;
  newId: () => string;
  maxAttempts?: number;
  /** Folded streams kept in memory, so a send reads only what is new since the last one. */
  cacheSize?: number;
}

export type GiveawayCommandHandler = (giveawayId: string, command: GiveawayCommand, context: CommandContext) => Promise<GiveawayCommandResult>;

export function createGiveawayCommandHandler(options: GiveawayCommandHandlerOptions): GiveawayCommandHandler {
  const { store, newId } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, FoldedStream>();

  function remember(streamId: string, folded: FoldedStream) {
    cache.delete(streamId);
    cache.set(streamId, folded);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
  }

  async function load(streamId: string): Promise<FoldedStream> {
    const folded = cache.get(streamId) ?? { state: initialState, revision: -1n, lastHash: genesisHash };
    let recorded: RecordedEvent[];
    try {
      recorded = await store.readStream(streamId, { fromRevision: folded.revision + 1n });
    } catch (error) {
      if (hasErrorCode(error, "stream_not_found")) return folded;
      throw error;
    }
    if (recorded.length === 0) return folded;
    const last = recorded[recorded.length - 1]!;
    const state = foldGiveaway(
      recorded.map((event) => ({ event: parseGiveawayEvent(event.type, event.data), revision: Number(event.revision) })),
      folded.state,
    );
    const loaded = { state, revision: last.revision, lastHash: EventMetadataSchema.parse(last.metadata).hash };
    remember(streamId, loaded);
    return loaded;
  }

  // Commands on one stream in this process take turns: no wasted conflicts between our own requests.
  const streamTurns = new Map<string, Promise<unknown>>();
  function inTurn<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = streamTurns.get(streamId) ?? Promise.resolve();
    const turn = previous.then(work, work);
    const settled = turn.catch(() => {});
    streamTurns.set(streamId, settled);
    void settled.then(() => {
      if (streamTurns.get(streamId) === settled) streamTurns.delete(streamId);
    });
    return turn;
  }

  return (giveawayId, command, context) => {
    const streamId = giveawayStream(giveawayId);
    return inTurn(streamId, () => decideAndAppend(streamId, command, context));
  };

  // Conflicts can still come from another process on the same store: read again and retry.
  async function decideAndAppend(streamId: string, command: GiveawayCommand, context: CommandContext): Promise<GiveawayCommandResult> {
    for (let attempt = 1; ; attempt++) {
      const current = await load(streamId);
      const decision = decide(command, current.state);
      if (!decision.ok) return decision;
      if (decision.events.length === 0) return { ok: true, state: current.state, appended: [], revision: current.revision };

      let { state, lastHash } = current;
      const appended: AppendedGiveawayEvent[] = [];
      const toAppend: EventToAppend[] = decision.events.map((decided, index) => {
        const event = parseGiveawayEvent(decided.type, decided.data); // validated when written, too
        const revision = current.revision + 1n + BigInt(index);
        // A message's id is the client's, so a retried send is the same event to the store too.
        const id = event.type === "MessageSent" ? event.data.messageId : newId();
        const prevHash = lastHash;
        lastHash = chainHash({ prevHash, streamId, revision: revision.toString(), id, type: event.type, data: event.data, ...context });
        const metadata: EventMetadata = { ...context, prevHash, hash: lastHash };
        state = evolve(state, event, Number(revision));
        appended.push({ event, id, revision });
        return { id, type: event.type, data: event.data, metadata };
      });

      try {
        const expectedRevision = current.revision < 0n ? "no_stream" : current.revision;
        const result = await store.appendToStream(streamId, toAppend, { expectedRevision });
        if (result.nextExpectedRevision === current.revision + BigInt(toAppend.length)) {
          remember(streamId, { state, revision: result.nextExpectedRevision, lastHash });
        } else {
          cache.delete(streamId);
        }
        return { ok: true, state, appended, revision: result.nextExpectedRevision };
      } catch (error) {
        if (!hasErrorCode(error, "wrong_expected_revision") || attempt >= maxAttempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }
}

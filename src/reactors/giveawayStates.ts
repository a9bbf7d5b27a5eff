// A giveaway's fold as of one revision, read from the store (not the read models, which a durable
// reactor may be ahead of): what deciding who is told about an event needs (the participants, the
// mutes, the message reacted to). A reactor asks in log order, so each stream is kept folded and
// only what is new is read; a revision behind the kept one (a replay) folds from the start again.
import { foldGiveaway, initialState, type GiveawayState } from "../domain/giveaway.ts";
import { parseGiveawayEvent } from "../domain/events.ts";
import { giveawayStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore } from "../eventstore/port.ts";

export type GiveawayStateAt = (giveawayId: string, revision: number) => Promise<GiveawayState>;

/** Events read and folded at a time. */
const pageSize = 1000;

/** A kept fold's size, counted in what grows with a conversation: its messages (each a few hundred bytes). */
const sizeOf = (state: GiveawayState) => 1 + (state.status === "drawn" ? state.messages.size : 0);

export function giveawayStatesFromStore(store: EventStore, options: { maxStreams?: number; maxMessages?: number } = {}): GiveawayStateAt {
  const maxStreams = options.maxStreams ?? 200;
  const maxMessages = options.maxMessages ?? 50_000;
  const kept = new Map<string, { state: GiveawayState; revision: number }>();
  let keptSize = 0;
  return async (giveawayId, revision) => {
    let folded = kept.get(giveawayId);
    if (folded) {
      kept.delete(giveawayId);
      keptSize -= sizeOf(folded.state);
    }
    if (!folded || folded.revision > revision) folded = { state: initialState, revision: -1 };
    while (folded.revision < revision) {
      let page;
      try {
        page = await store.readStream(giveawayStream(giveawayId), { fromRevision: BigInt(folded.revision + 1), maxCount: Math.min(pageSize, revision - folded.revision) });
      } catch (error) {
        if (hasErrorCode(error, "stream_not_found")) break;
        throw error;
      }
      if (page.length === 0) break;
      const state = foldGiveaway(page.map((recorded) => ({ event: parseGiveawayEvent(recorded.type, recorded.data), revision: Number(recorded.revision) })), folded.state);
      folded = { state, revision: Number(page[page.length - 1]!.revision) };
    }
    // Most recently used last; the oldest goes first, within both bounds.
    kept.set(giveawayId, folded);
    keptSize += sizeOf(folded.state);
    for (const [oldest, entry] of kept) {
      if (kept.size <= maxStreams && keptSize <= maxMessages) break;
      kept.delete(oldest);
      keptSize -= sizeOf(entry.state);
    }
    return folded.state;
  };
}

// The command handler's folded streams, least recently used first out, bounded by estimated bytes.
import type { GiveawayState } from "../domain/giveaway.ts";

/** A stream folded up to `revision` (-1n: no stream yet), and the stored hash its next event chains to. */
export interface FoldedStream {
  state: GiveawayState;
  revision: bigint;
  lastHash: string;
}

// Rough V8 costs: a state with its strings, and per remembered message (id, digest, entry, map slot).
const bytesPerStream = 1024;
const bytesPerEntrant = 96;
const bytesPerMessage = 240;

export function estimateBytes(folded: FoldedStream): number {
  const { state } = folded;
  if (state.status === "none") return bytesPerStream;
  const messages = state.status === "drawn" ? state.messages.size : 0;
  return bytesPerStream + state.entrants.length * bytesPerEntrant + messages * bytesPerMessage;
}

export class FoldedStreamCache {
  readonly #entries = new Map<string, { folded: FoldedStream; bytes: number }>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  get(streamId: string): FoldedStream | undefined {
    return this.#entries.get(streamId)?.folded;
  }

  set(streamId: string, folded: FoldedStream): void {
    this.delete(streamId);
    const bytes = estimateBytes(folded);
    // A stream larger than the whole budget is not kept: it is read from the store each time.
    if (bytes > this.maxBytes) return;
    this.#entries.set(streamId, { folded, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }

  delete(streamId: string): void {
    const entry = this.#entries.get(streamId);
    if (!entry) return;
    this.#entries.delete(streamId);
    this.#bytes -= entry.bytes;
  }

  stats() {
    return { streams: this.#entries.size, bytes: this.#bytes, maxBytes: this.maxBytes };
  }
}

// The messages a conversation's state remembers, by id: only what deciding a send needs (who sent it,
// a digest of its text, its revision), never the text itself, so a long conversation stays small.
import { createHash } from "node:crypto";

export interface StoredMessage {
  /** null for a system message (SystemMessagePosted): it never equals a user's id, so no user may edit or retry it. */
  readonly senderId: string | null;
  /** sha256 of the stored (trimmed) content, base64: tells a retry from a clash without keeping the text. */
  readonly contentDigest: string;
  /** Stream revision of the MessageSent (or SystemMessagePosted) event. */
  readonly revision: number;
  /** When it was sent (ms since the epoch): edits and retractions have a window. */
  readonly sentAtMs?: number;
  /** Digest of its quote and attachments, only when it has any: a retry must name the same. */
  readonly linksDigest?: string;
}

interface IndexedMessage extends StoredMessage {
  /** Order of addition: a state sees the entries below its own size. */
  readonly seq: number;
}

export function contentDigest(content: string): string {
  return createHash("sha256").update(content).digest("base64");
}

/**
 * Immutable to its holders, yet adding is O(1): the states of one line of history share one map and
 * each sees only the entries added before it. Only adding to an older state (a branch, rare) copies.
 */
export class MessageIndex {
  readonly #entries: Map<string, IndexedMessage>;
  readonly size: number;

  private constructor(entries: Map<string, IndexedMessage>, size: number) {
    this.#entries = entries;
    this.size = size;
  }

  static empty(): MessageIndex {
    return new MessageIndex(new Map(), 0);
  }

  get(messageId: string): StoredMessage | undefined {
    const entry = this.#entries.get(messageId);
    return entry !== undefined && entry.seq < this.size ? entry : undefined;
  }

  has(messageId: string): boolean {
    return this.get(messageId) !== undefined;
  }

  /** This index plus one message (the caller checks the id is new). */
  with(messageId: string, message: StoredMessage): MessageIndex {
    let entries = this.#entries;
    if (entries.size !== this.size) {
      // A later state of this history added other messages: branch off with a copy of ours.
      entries = new Map([...entries].filter(([, entry]) => entry.seq < this.size));
    }
    entries.set(messageId, { ...message, seq: this.size });
    return new MessageIndex(entries, this.size + 1);
  }
}

// Blocking and unblocking: read the blocker's stream, fold their blocks, decide, append at the
// expected revision (read again on a conflict). The blocks read model follows through the subscription.
import { decideBlock, foldBlocks } from "../domain/blocks.ts";
import type { DomainError } from "../domain/errors.ts";
import { parseUserEvent } from "../domain/events.ts";
import { userStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore, type ExpectedRevision } from "../eventstore/port.ts";
import type { CommandContext } from "../domain/eventMetadata.ts";

export interface UserBlocks {
  /** Blocks (`blocked` true) or unblocks; nothing is written when it already stands. */
  change(userId: string, blockedUserId: string, blocked: boolean, context: CommandContext): Promise<{ ok: true } | { ok: false; error: DomainError }>;
}

const maxAttempts = 4;

export function createUserBlocks(deps: { store: EventStore; newId: () => string; now: () => Date }): UserBlocks {
  const { store, newId, now } = deps;

  async function blocksOf(userId: string): Promise<{ blocked: ReadonlySet<string>; expected: ExpectedRevision }> {
    try {
      const events = await store.readStream(userStream(userId));
      return { blocked: foldBlocks(events.map((event) => parseUserEvent(event.type, event.data))), expected: events.at(-1)!.revision };
    } catch (error) {
      if (!hasErrorCode(error, "stream_not_found")) throw error;
      return { blocked: new Set(), expected: "no_stream" };
    }
  }

  return {
    async change(userId, blockedUserId, blocked, context) {
      for (let attempt = 1; ; attempt++) {
        const { blocked: current, expected } = await blocksOf(userId);
        const decision = decideBlock({ type: "ChangeBlock", userId, blockedUserId, blocked, now: now() }, current);
        if (!decision.ok) return decision;
        if (decision.events.length === 0) return { ok: true };
        const toAppend = decision.events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata: { ...context } }));
        try {
          await store.appendToStream(userStream(userId), toAppend, { expectedRevision: expected });
          return { ok: true };
        } catch (error) {
          if (!hasErrorCode(error, "wrong_expected_revision") || attempt >= maxAttempts) throw error;
        }
      }
    },
  };
}

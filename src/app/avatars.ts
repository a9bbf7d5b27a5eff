// A person's own photo: read their stream, fold the current one, decide, append at the expected
// revision (read again on a conflict). The users read model follows through the subscription.
import { decideAvatar, foldAvatar, type ChangeAvatar } from "../domain/avatars.ts";
import type { DomainError } from "../domain/errors.ts";
import type { CommandContext } from "../domain/eventMetadata.ts";
import { userStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore, type ExpectedRevision } from "../eventstore/port.ts";

export interface UserAvatars {
  /** Sets, replaces or removes the photo; nothing is written when it already stands. */
  change(command: ChangeAvatar, context: CommandContext): Promise<{ ok: true } | { ok: false; error: DomainError }>;
}

const maxAttempts = 4;

export function createUserAvatars(deps: { store: EventStore; newId: () => string }): UserAvatars {
  const { store, newId } = deps;

  async function currentOf(userId: string): Promise<{ current: string | undefined; expected: ExpectedRevision }> {
    try {
      const events = await store.readStream(userStream(userId));
      return { current: foldAvatar(events), expected: events.at(-1)!.revision };
    } catch (error) {
      if (!hasErrorCode(error, "stream_not_found")) throw error;
      return { current: undefined, expected: "no_stream" };
    }
  }

  return {
    async change(command, context) {
      for (let attempt = 1; ; attempt++) {
        const { current, expected } = await currentOf(command.userId);
        const decision = decideAvatar(command, current);
        if (!decision.ok) return decision;
        if (decision.events.length === 0) return { ok: true };
        const toAppend = decision.events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata: { ...context } }));
        try {
          await store.appendToStream(userStream(command.userId), toAppend, { expectedRevision: expected });
          return { ok: true };
        } catch (error) {
          if (!hasErrorCode(error, "wrong_expected_revision") || attempt >= maxAttempts) throw error;
        }
      }
    },
  };
}

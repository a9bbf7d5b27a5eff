// Moderation on users' streams: a moderator's suspensions, and the operator's moderator grants. Read
// the user's stream, decide (moderationUsers.ts), append at the expected revision; read again on a
// conflict. Actions on a conversation go through the giveaway command handler like any other.
import type { DomainError } from "../domain/errors.ts";
import { parseUserEvent, type UserEvent } from "../domain/events.ts";
import { decideModeratorGrant, decideUserModeration, type UserModerationCommand } from "../domain/moderationUsers.ts";
import { userStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore, type ExpectedRevision } from "../eventstore/port.ts";
import type { CommandContext } from "../domain/eventMetadata.ts";

export type ModerationResult = { ok: true; appended: number } | { ok: false; error: DomainError };

export interface Moderation {
  /** Suspends or lifts a suspension. */
  actOnUser(command: UserModerationCommand, context: CommandContext): Promise<ModerationResult>;
  /** The operator grants (true) or revokes (false) moderation; nothing is written when it already stands. */
  setModerator(userId: string, granted: boolean, context: CommandContext): Promise<ModerationResult>;
}

const maxAttempts = 4;
const noSuchUser: ModerationResult = { ok: false, error: { code: "user_not_found", message: "no such user" } };

export function createModeration(deps: { store: EventStore; newId: () => string; now: () => Date }): Moderation {
  const { store, newId, now } = deps;

  async function historyOf(userId: string): Promise<{ history: UserEvent[]; expected: ExpectedRevision } | undefined> {
    try {
      const events = await store.readStream(userStream(userId));
      return { history: events.map((event) => parseUserEvent(event.type, event.data)), expected: events.at(-1)!.revision };
    } catch (error) {
      if (hasErrorCode(error, "stream_not_found")) return undefined;
      throw error;
    }
  }

  async function write(userId: string, context: CommandContext, decide: (history: UserEvent[]) => { ok: true; events: UserEvent[] } | { ok: false; error: DomainError }): Promise<ModerationResult> {
    for (let attempt = 1; ; attempt++) {
      const stream = await historyOf(userId);
      // Only users that exist (registered, or named by the platform): a user's stream is never begun here.
      if (!stream || !stream.history.some((event) => event.type === "UserRegistered" || event.type === "PlatformUserLinked" || event.type === "PlatformProfileRecorded")) return noSuchUser;
      const decision = decide(stream.history);
      if (!decision.ok) return decision;
      if (decision.events.length === 0) return { ok: true, appended: 0 };
      const toAppend = decision.events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata: { ...context } }));
      try {
        await store.appendToStream(userStream(userId), toAppend, { expectedRevision: stream.expected });
        return { ok: true, appended: toAppend.length };
      } catch (error) {
        if (!hasErrorCode(error, "wrong_expected_revision") || attempt >= maxAttempts) throw error;
      }
    }
  }

  return {
    actOnUser: (command, context) => write(command.userId, context, (history) => decideUserModeration(command, history)),
    setModerator: (userId, granted, context) => write(userId, context, (history) => ({ ok: true, events: decideModeratorGrant(granted, userId, history, now()) })),
  };
}

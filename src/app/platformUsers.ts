// Platform users in handoff's log: named by the platform's backend or seen in a token, each gets a
// stream of their own under an id derived from their `sub` (platformIds.ts), so every process agrees
// on it without a lookup. Writes go straight to the store, so a user can act at once.
import { parseUserEvent, type UserEvent } from "../domain/events.ts";
import { platformUserId } from "../domain/platformIds.ts";
import { decideLinkPlatformUser, decideRecordPlatformProfile, foldPlatformUser, type PlatformProfile } from "../domain/platformUsers.ts";
import { userStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore, type ExpectedRevision } from "../eventstore/port.ts";

export interface PlatformUser {
  id: string;
  /** The name shown for them: the token's `name`. */
  username: string;
  /** The log position of the profile this sign-in recorded (new or changed): the read models follow a moment later. */
  recordedAt: bigint | undefined;
}

export interface PlatformUsers {
  /** The handoff id of the platform user `sub`, their stream begun if this is the first time they are named. */
  ensureLinked(sub: string, correlationId: string): Promise<string>;
  /** A checked token's user: their profile recorded when new or changed. */
  signIn(sub: string, profile: PlatformProfile, correlationId: string): Promise<PlatformUser>;
}

/** Profiles recorded by this process, so a user's every request does not read their stream. */
const rememberedProfiles = 10_000;

export function createPlatformUsers(deps: { store: EventStore; newId: () => string; now: () => Date }): PlatformUsers {
  const { store, newId, now } = deps;
  const recorded = new Map<string, string>();

  async function stateOf(userId: string) {
    try {
      const events = await store.readStream(userStream(userId));
      return { state: foldPlatformUser(events.map((event) => parseUserEvent(event.type, event.data))), expected: events.at(-1)!.revision as ExpectedRevision };
    } catch (error) {
      if (!hasErrorCode(error, "stream_not_found")) throw error;
      return { state: foldPlatformUser([]), expected: "no_stream" as ExpectedRevision };
    }
  }

  /** Appends what `decide` says (its log position; undefined: nothing to write); when another request wrote first, decides again on what it wrote. */
  async function write(userId: string, correlationId: string, decide: (state: ReturnType<typeof foldPlatformUser>) => UserEvent[]): Promise<bigint | undefined> {
    for (let attempt = 0; ; attempt++) {
      const { state, expected } = await stateOf(userId);
      const events = decide(state);
      if (events.length === 0) return undefined;
      const metadata = { actorId: userId, correlationId, causationId: correlationId };
      try {
        const appended = await store.appendToStream(userStream(userId), events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata })), { expectedRevision: expected });
        return appended.position;
      } catch (error) {
        if (!hasErrorCode(error, "wrong_expected_revision") || attempt >= 3) throw error;
      }
    }
  }

  return {
    async ensureLinked(sub, correlationId) {
      const userId = platformUserId(sub);
      if (!recorded.has(userId)) await write(userId, correlationId, (state) => decideLinkPlatformUser(state, userId, sub, now()));
      return userId;
    },
    async signIn(sub, profile, correlationId) {
      const userId = platformUserId(sub);
      const key = JSON.stringify(profile);
      let recordedAt: bigint | undefined;
      if (recorded.get(userId) !== key) {
        recordedAt = await write(userId, correlationId, (state) => decideRecordPlatformProfile(state, userId, sub, profile, now()));
        recorded.delete(userId);
        if (recorded.size >= rememberedProfiles) recorded.delete(recorded.keys().next().value!);
        recorded.set(userId, key);
      }
      return { id: userId, username: profile.name, recordedAt };
    },
  };
}

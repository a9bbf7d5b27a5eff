// Usernames straight from the store (UserRegistered in user-<id>), remembered once looked up.
import { parseUserEvent } from "../domain/events.ts";
import { userStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore } from "../eventstore/port.ts";

export type UserNameLookup = (userId: string) => Promise<string | undefined>;

export function storeUserNames(store: EventStore): UserNameLookup {
  const known = new Map<string, string | undefined>();
  return async (userId) => {
    if (known.has(userId)) return known.get(userId);
    let name: string | undefined;
    try {
      const [first] = await store.readStream(userStream(userId), { maxCount: 1 });
      const event = first && parseUserEvent(first.type, first.data);
      name = event?.type === "UserRegistered" ? event.data.username : undefined;
    } catch (error) {
      if (!hasErrorCode(error, "stream_not_found")) throw error;
    }
    known.set(userId, name);
    return name;
  };
}

// Names straight from the store (a local user's UserRegistered, a platform user's newest profile in
// user-<id>), remembered once looked up.
import { parseUserEvent } from "../domain/events.ts";
import { userStream, usernameStream } from "../domain/streams.ts";
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
      if (event?.type === "UserRegistered") name = event.data.username;
      // A platform user: the name of their newest profile, their `sub` before they ever signed in.
      else if (event?.type === "PlatformUserLinked" || event?.type === "PlatformProfileRecorded") name = await platformNameOf(store, userId);
    } catch (error) {
      if (!hasErrorCode(error, "stream_not_found")) throw error;
    }
    known.set(userId, name);
    return name;
  };
}

async function platformNameOf(store: EventStore, userId: string): Promise<string | undefined> {
  let name: string | undefined;
  for (const recorded of await store.readStream(userStream(userId))) {
    const event = parseUserEvent(recorded.type, recorded.data);
    if (event.type === "PlatformProfileRecorded") name = event.data.name;
    else if (event.type === "PlatformUserLinked") name ??= event.data.sub;
  }
  return name;
}

/** The user who holds a username now (the newest event of username-<name>), straight from the store. */
export async function storeUserIdOf(store: EventStore, username: string): Promise<string | undefined> {
  try {
    const [newest] = await store.readStream(usernameStream(username), { direction: "backwards", maxCount: 1 });
    const event = newest && parseUserEvent(newest.type, newest.data);
    return event?.type === "UsernameReserved" ? event.data.userId : undefined;
  } catch (error) {
    if (hasErrorCode(error, "stream_not_found")) return undefined;
    throw error;
  }
}

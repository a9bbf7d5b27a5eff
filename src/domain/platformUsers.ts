// A platform user's record in their own stream: linked when first named, their profile recorded
// from a token's claims the first time and whenever it changes (a new name is a new fact).
import type { UserEvent } from "./events.ts";

export interface PlatformProfile {
  readonly name: string;
  readonly picture?: string | undefined;
  readonly email?: string | undefined;
  readonly roles: readonly string[];
}

export interface PlatformUserState {
  /** Linked or profiled: the user's stream has begun. */
  readonly linked: boolean;
  readonly profile: PlatformProfile | undefined;
}

export function foldPlatformUser(events: Iterable<UserEvent>): PlatformUserState {
  let state: PlatformUserState = { linked: false, profile: undefined };
  for (const event of events) {
    if (event.type === "PlatformUserLinked") state = { ...state, linked: true };
    else if (event.type === "PlatformProfileRecorded") {
      const { name, picture, email, roles } = event.data;
      state = { linked: true, profile: { name, picture, email, roles } };
    }
  }
  return state;
}

/** The first time a platform user is named: nothing if their stream has begun. */
export function decideLinkPlatformUser(state: PlatformUserState, userId: string, sub: string, now: Date): UserEvent[] {
  return state.linked ? [] : [{ type: "PlatformUserLinked", data: { userId, sub, linkedAt: now.toISOString() } }];
}

/** A token's profile: recorded when it differs from the last one recorded. */
export function decideRecordPlatformProfile(state: PlatformUserState, userId: string, sub: string, profile: PlatformProfile, now: Date): UserEvent[] {
  if (state.profile && sameProfile(state.profile, profile)) return [];
  const { name, picture, email, roles } = profile;
  const data = { userId, sub, name, roles: [...roles], recordedAt: now.toISOString(), ...(picture !== undefined && { picture }), ...(email !== undefined && { email }) };
  return [{ type: "PlatformProfileRecorded", data }];
}

function sameProfile(a: PlatformProfile, b: PlatformProfile): boolean {
  return a.name === b.name && a.picture === b.picture && a.email === b.email && a.roles.join("\n") === b.roles.join("\n");
}

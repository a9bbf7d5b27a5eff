// Stream names: one stream per giveaway, one per user, and one per lower-cased username so the
// store's "no_stream" check makes names unique ignoring case.
import type { UserEvent } from "./events.ts";
import { assertNever } from "./errors.ts";

export const giveawayStreamPrefix = "giveaway-";
export const userStreamPrefix = "user-";
export const usernameStreamPrefix = "username-";

export function giveawayStream(giveawayId: string): string {
  return `${giveawayStreamPrefix}${giveawayId}`;
}

export function userStream(userId: string): string {
  return `${userStreamPrefix}${userId}`;
}

/** One account per name whatever its case: the key uniqueness (and the per-account sign-in limit) uses. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function usernameStream(username: string): string {
  return `${usernameStreamPrefix}${usernameKey(username)}`;
}

/** The giveaway id inside a giveaway stream name, or undefined for any other stream. */
export function giveawayIdFromStream(streamId: string): string | undefined {
  return streamId.startsWith(giveawayStreamPrefix) ? streamId.slice(giveawayStreamPrefix.length) : undefined;
}

/** Where a user event belongs: registration decides both events, each goes to its own stream. */
export function streamOfUserEvent(event: UserEvent): string {
  switch (event.type) {
    case "UserRegistered":
    case "PasswordRehashed":
    case "SessionStarted":
    case "SessionEnded":
    case "AllSessionsEnded":
      return userStream(event.data.userId);
    case "UsernameReserved":
    case "UsernameReleased":
      return usernameStream(event.data.username);
    default:
      return assertNever(event);
  }
}

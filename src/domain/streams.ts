// Stream names: one stream per giveaway, one per user, and one per lower-cased username (and one per
// used one-time platform token) so the store's "no_stream" check makes each unique.
import type { UserEvent } from "./events.ts";
import { assertNever } from "./errors.ts";

export const giveawayStreamPrefix = "giveaway-";
export const userStreamPrefix = "user-";
export const usernameStreamPrefix = "username-";
/** servicekey-<name>: one service key's creation and revocation (serviceKeys.ts). */
export const serviceKeyStreamPrefix = "servicekey-";
/** idempotency-<key name>-<SHA-256 of the Idempotency-Key>: a platform call's recorded answer. */
export const idempotencyStreamPrefix = "idempotency-";
/** One stream per used one-time platform token: its "no_stream" append is the use. */
export const platformTokenStreamPrefix = "platformtoken-";

export function giveawayStream(giveawayId: string): string {
  return `${giveawayStreamPrefix}${giveawayId}`;
}

export function userStream(userId: string): string {
  return `${userStreamPrefix}${userId}`;
}

export function serviceKeyStream(name: string): string {
  return `${serviceKeyStreamPrefix}${name}`;
}

export function idempotencyStream(keyName: string, idempotencyKeyHash: string): string {
  return `${idempotencyStreamPrefix}${keyName}-${idempotencyKeyHash}`;
}

/** One account per name whatever its case: the key uniqueness (and the per-account sign-in limit) uses. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function usernameStream(username: string): string {
  return `${usernameStreamPrefix}${usernameKey(username)}`;
}

/** Named by the SHA-256 of the token's jti (lower-case hex). */
export function platformTokenStream(jtiDigest: string): string {
  return `${platformTokenStreamPrefix}${jtiDigest}`;
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
    case "PlatformUserLinked":
    case "PlatformProfileRecorded":
    case "UserBlocked":
    case "UserUnblocked":
    case "ModeratorGranted":
    case "ModeratorRevoked":
    case "UserSuspended":
    case "UserUnsuspended":
    case "AvatarChanged":
    case "AvatarRemoved":
    case "NotificationSettingsChanged":
    case "PushSubscribed":
    case "PushUnsubscribed":
    case "EmailAddressRequested":
    case "EmailAddressVerified":
    case "EmailDigestSent":
      return userStream(event.data.userId);
    case "UsernameReserved":
    case "UsernameReleased":
      return usernameStream(event.data.username);
    case "PlatformTokenUsed":
      return platformTokenStream(event.data.jtiDigest);
    default:
      return assertNever(event);
  }
}

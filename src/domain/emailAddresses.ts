// A user's e-mail address for digests, in their own stream user-<userId>: asked for, verified by the
// link mailed to it, and each digest sent (emailEvents.ts). A platform token's `email` claim
// (PlatformProfileRecorded) counts as verified. Whether e-mail is on is the notification settings'
// (NotificationSettingsChanged, which the one-click unsubscribe records with email off).
// Pure: the fold and the decisions; time comes in with the call.
import type { UserEvent } from "./events.ts";
import { EmailAddressSchema, type EmailEvent } from "./emailEvents.ts";
import { defaultNotificationSettings } from "./notificationSettings.ts";

export interface EmailState {
  /** Asked for and not verified yet (a newer request replaces it). */
  pending: { address: string; requestedAt: string } | undefined;
  /** Where digests go, once verified (by its link, or by the platform's token). */
  verified: string | undefined;
  /** The notification settings' e-mail switch (off after a one-click unsubscribe). */
  enabled: boolean;
  /** Per conversation, how far the last digest went (its revision). */
  digestedUpTo: Readonly<Record<string, number>>;
  /** The address the platform's token last named: a profile that names it again (a new name, a new picture) leaves an address the user chose since. */
  platformEmail: string | undefined;
}

export const noEmail: EmailState = { pending: undefined, verified: undefined, enabled: defaultNotificationSettings.email, digestedUpTo: {}, platformEmail: undefined };

/** Addresses compare without case (no mail system here treats the local part's case apart). */
export function sameAddress(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The user's stream folded for e-mail; every other event passes by. */
export function foldEmailState(events: readonly UserEvent[], state: EmailState = noEmail): EmailState {
  let next = state;
  for (const event of events) {
    switch (event.type) {
      case "EmailAddressRequested":
        next = sameAddress(event.data.address, next.verified) ? { ...next, pending: undefined } : { ...next, pending: { address: event.data.address, requestedAt: event.data.requestedAt } };
        break;
      case "EmailAddressVerified":
        next = { ...next, verified: event.data.address, pending: sameAddress(next.pending?.address, event.data.address) ? undefined : next.pending };
        break;
      case "PlatformProfileRecorded":
        // The platform vouches for the address in its signed token, when it first names it or names another;
        // a profile without one changes nothing.
        if (event.data.email !== undefined && !sameAddress(event.data.email, next.platformEmail)) next = { ...next, verified: event.data.email, platformEmail: event.data.email };
        break;
      case "NotificationSettingsChanged":
        next = { ...next, enabled: event.data.email };
        break;
      case "EmailDigestSent":
        next = { ...next, digestedUpTo: { ...next.digestedUpTo, [event.data.giveawayId]: Math.max(next.digestedUpTo[event.data.giveawayId] ?? -1, event.data.upToRevision) } };
        break;
      default:
        break;
    }
  }
  return next;
}

/** Where digests may go: the verified address while e-mail is on. */
export function digestAddress(state: EmailState): string | undefined {
  return state.enabled ? state.verified : undefined;
}

export type EmailDecision = { ok: true; events: EmailEvent[] } | { ok: false; code: "invalid_email" | "stale_link"; message: string };

/** PUT /api/me/email: the address asked for (nothing new when it is the verified one; asked again while pending, its link is mailed again). */
export function decideEmailRequest(state: EmailState, userId: string, address: string, now: Date): EmailDecision {
  const checked = EmailAddressSchema.safeParse(address.trim());
  if (!checked.success) return { ok: false, code: "invalid_email", message: "give an e-mail address, name@domain (at most 254 characters)" };
  if (sameAddress(checked.data, state.verified)) return { ok: true, events: [] };
  return { ok: true, events: [{ type: "EmailAddressRequested", data: { userId, address: checked.data, requestedAt: now.toISOString() } }] };
}

/** The verification link was followed: only for the address last asked for (the verified one again: a second click, nothing new). */
export function decideVerification(state: EmailState, userId: string, address: string, now: Date): EmailDecision {
  if (sameAddress(address, state.pending?.address)) return { ok: true, events: [{ type: "EmailAddressVerified", data: { userId, address, verifiedAt: now.toISOString() } }] };
  if (sameAddress(address, state.verified)) return { ok: true, events: [] };
  return { ok: false, code: "stale_link", message: "this link is for an address that has since been replaced: use the newest link" };
}

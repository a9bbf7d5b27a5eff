// E-mail's facts, in the user's own stream user-<userId> (events.ts registers them with the user
// events). Schemas only grow. The fold and the decisions are emailAddresses.ts; turning e-mail off
// (the one-click unsubscribe) is the notification settings' NotificationSettingsChanged.
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();

/** What an address must look like to be asked for (RFC 5321's 254 characters at most). */
export const EmailAddressSchema = z.email().max(254);

/** `address` was asked for: it gets digests once the link mailed to it is followed. */
export const EmailAddressRequestedSchema = z.object({ userId: id, address: z.string().min(3).max(254), requestedAt: instant });

/** The link mailed to `address` was followed: digests may go there. */
export const EmailAddressVerifiedSchema = z.object({ userId: id, address: z.string().min(3).max(254), verifiedAt: instant });

/** A digest of `giveawayId`'s unread messages up to `upToRevision` went out: nothing more for it until they have read that far. */
export const EmailDigestSentSchema = z.object({
  userId: id,
  giveawayId: id,
  upToRevision: z.int().min(0),
  messageCount: z.int().min(1),
  sentAt: instant,
});

export type EmailAddressRequested = z.output<typeof EmailAddressRequestedSchema>;
export type EmailAddressVerified = z.output<typeof EmailAddressVerifiedSchema>;
export type EmailDigestSent = z.output<typeof EmailDigestSentSchema>;

export const emailEvents = eventFamily("email", {
  EmailAddressRequested: EmailAddressRequestedSchema,
  EmailAddressVerified: EmailAddressVerifiedSchema,
  EmailDigestSent: EmailDigestSentSchema,
});

export type EmailEvent = EventsOf<typeof emailEvents.schemas>;
export const isEmailEventType = emailEvents.has;

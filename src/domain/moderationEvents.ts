// Moderation's facts (issue 26). In the giveaway's stream: a report dismissed, a message hidden, a
// moderator's look at the conversation. In the user's stream: moderator grants and suspensions.
// events.ts registers both families. Schemas only grow.
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();
/** Every action names why: the audit shows it. */
export const moderationReasonMaxLength = 500;
const reason = z.string().trim().min(1).max(moderationReasonMaxLength);

export const ReportDismissedSchema = z.object({ reportId: id, moderatorId: id, reason, dismissedAt: instant });

/** The message's content is no longer shown to anyone but the audit; the original stays in the log. */
export const MessageHiddenSchema = z.object({ messageId: id, moderatorId: id, reason, hiddenAt: instant });

/** A moderator opened a report's context: who looked at the conversation, and when. */
export const ConversationViewedByModeratorSchema = z.object({ moderatorId: id, reportId: id, viewedAt: instant });

export const moderationGiveawayEvents = eventFamily("moderation", {
  ReportDismissed: ReportDismissedSchema,
  MessageHidden: MessageHiddenSchema,
  ConversationViewedByModerator: ConversationViewedByModeratorSchema,
});

export type ModerationGiveawayEvent = EventsOf<typeof moderationGiveawayEvents.schemas>;

/** Granted by the operator (npm run moderators): no moderator grants another. */
export const ModeratorGrantedSchema = z.object({ userId: id, grantedAt: instant });
export const ModeratorRevokedSchema = z.object({ userId: id, revokedAt: instant });

/** Until `until` (absent: for good). The same append ends every session of the user (AllSessionsEnded). */
export const UserSuspendedSchema = z.object({ userId: id, moderatorId: id, reason, until: instant.optional(), suspendedAt: instant });
export const UserUnsuspendedSchema = z.object({ userId: id, moderatorId: id, reason, unsuspendedAt: instant });

export const moderationUserEvents = eventFamily("moderation user", {
  ModeratorGranted: ModeratorGrantedSchema,
  ModeratorRevoked: ModeratorRevokedSchema,
  UserSuspended: UserSuspendedSchema,
  UserUnsuspended: UserUnsuspendedSchema,
});

export type ModerationUserEvent = EventsOf<typeof moderationUserEvents.schemas>;

// Event builders for the read model specs, beside the domain's (test/domain/fixtures.ts,
// pickupFixtures.ts): the user stream's facts and the conversation's later ones. Each takes the
// instant it happened at (default: the fixtures' `at`).
import type { GiveawayEvent, UserEvent } from "../../src/domain/events.ts";
import { at } from "../domain/fixtures.ts";

export const secondGiveawayId = "0b6f4c1e-8a52-4f0e-9a3d-2b7c1d9e4f02";
export const message3 = "9c0d8e7f-0003-4bcd-9eee-000000000003";
export const attachment1 = "a77ac4e0-0001-4abc-8def-000000000001";
export const attachment2 = "a77ac4e0-0002-4abc-8def-000000000002";
export const session1 = "5e55104e-0001-4aaa-9bbb-000000000001";
export const session2 = "5e55104e-0002-4aaa-9bbb-000000000002";
export const report1 = "4e904700-0001-4ccc-addd-000000000001";
export const report2 = "4e904700-0002-4ccc-addd-000000000002";
export const moderator = "1a2b3c4d-6666-4aaa-8bbb-000000000006";
export const sha = (digit: string) => digit.repeat(64);

/** `seconds` after the fixtures' instant, as ISO. */
export const plus = (seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();

// ---- user streams ----

export const registered = (userId: string, username: string, when = at): UserEvent => ({
  type: "UserRegistered",
  data: { userId, username, passwordHash: "scrypt$not-a-real-hash", registeredAt: when },
});
export const reserved = (userId: string, username: string): UserEvent => ({ type: "UsernameReserved", data: { userId, username } });
export const linked = (userId: string, sub: string, when = at): UserEvent => ({ type: "PlatformUserLinked", data: { userId, sub, linkedAt: when } });
export const profile = (userId: string, sub: string, name: string, extra: { picture?: string; roles?: string[] } = {}, when = at): UserEvent => ({
  type: "PlatformProfileRecorded",
  data: { userId, sub, name, picture: extra.picture, roles: extra.roles ?? [], recordedAt: when },
});
export const sessionStarted = (userId: string, sessionId: string, when = at): UserEvent => ({
  type: "SessionStarted",
  data: { userId, sessionId, startedAt: when, expiresAt: plus(30 * 24 * 3600) },
});
export const sessionEnded = (userId: string, sessionId: string, when = at): UserEvent => ({ type: "SessionEnded", data: { userId, sessionId, endedAt: when } });
export const allSessionsEnded = (userId: string, when = at): UserEvent => ({ type: "AllSessionsEnded", data: { userId, endedAt: when } });
export const blocked = (userId: string, blockedUserId: string, when = at): UserEvent => ({ type: "UserBlocked", data: { userId, blockedUserId, blockedAt: when } });
export const unblocked = (userId: string, blockedUserId: string, when = at): UserEvent => ({
  type: "UserUnblocked",
  data: { userId, blockedUserId, unblockedAt: when },
});
export const granted = (userId: string, when = at): UserEvent => ({ type: "ModeratorGranted", data: { userId, grantedAt: when } });
export const revoked = (userId: string, when = at): UserEvent => ({ type: "ModeratorRevoked", data: { userId, revokedAt: when } });
export const suspended = (userId: string, until: string | undefined, when = at): UserEvent => ({
  type: "UserSuspended",
  data: { userId, moderatorId: moderator, reason: "spam links", until, suspendedAt: when },
});
export const unsuspended = (userId: string, when = at): UserEvent => ({
  type: "UserUnsuspended",
  data: { userId, moderatorId: moderator, reason: "appeal granted", unsuspendedAt: when },
});

// ---- giveaway streams: the conversation's later facts, platform edits, reports, ratings ----

export const sentAt = (messageId: string, senderId: string, content: string, when: string, extra: { replyTo?: string; attachmentIds?: string[] } = {}): GiveawayEvent => ({
  type: "MessageSent",
  data: { messageId, senderId, content, sentAt: when, ...extra },
});
export const systemMessage = (messageId: string, content: string, when = at): GiveawayEvent => ({ type: "SystemMessagePosted", data: { messageId, content, postedAt: when } });
export const readUpTo = (userId: string, upToRevision: number, when = at): GiveawayEvent => ({ type: "ConversationRead", data: { userId, upToRevision, readAt: when } });
export const reacted = (messageId: string, userId: string, emoji: string, when = at): GiveawayEvent => ({ type: "ReactionAdded", data: { messageId, userId, emoji, reactedAt: when } });
export const unreacted = (messageId: string, userId: string, emoji: string, when = at): GiveawayEvent => ({
  type: "ReactionRemoved",
  data: { messageId, userId, emoji, removedAt: when },
});
export const edited = (messageId: string, editorId: string, content: string, when = at): GiveawayEvent => ({ type: "MessageEdited", data: { messageId, editorId, content, editedAt: when } });
export const retracted = (messageId: string, retractedBy: string, when = at): GiveawayEvent => ({ type: "MessageRetracted", data: { messageId, retractedBy, retractedAt: when } });
export const hidden = (messageId: string, when = at): GiveawayEvent => ({ type: "MessageHidden", data: { messageId, moderatorId: moderator, reason: "scam", hiddenAt: when } });
export const uploaded = (attachmentId: string, uploaderId: string, digit = "a", when = at): GiveawayEvent => ({
  type: "AttachmentUploaded",
  data: { attachmentId, uploaderId, sha256: sha(digit), contentType: "image/png", size: 1234, uploadedAt: when },
});
export const muted = (userId: string, when = at): GiveawayEvent => ({ type: "ConversationMuted", data: { userId, mutedAt: when } });
export const unmuted = (userId: string, when = at): GiveawayEvent => ({ type: "ConversationUnmuted", data: { userId, unmutedAt: when } });
export const detailsChanged = (change: { title?: string; description?: string; giverId?: string }, when = at): GiveawayEvent => ({
  type: "GiveawayDetailsChanged",
  data: { ...change, changedAt: when },
});
export const withdrawn = (userId: string, when = at): GiveawayEvent => ({ type: "EntryWithdrawn", data: { userId, withdrawnAt: when } });
export const reportFiled = (
  reportId: string,
  reporterId: string,
  reportedUserId: string,
  atRevision: number,
  extra: { note?: string; messageId?: string; reason?: "spam" | "scam" | "harassment" | "other" } = {},
  when = at,
): GiveawayEvent => ({
  type: "ReportFiled",
  data: { reportId, reporterId, reportedUserId, reason: extra.reason ?? "scam", note: extra.note, messageId: extra.messageId, atRevision, filedAt: when },
});
export const reportDismissed = (reportId: string, when = at): GiveawayEvent => ({
  type: "ReportDismissed",
  data: { reportId, moderatorId: moderator, reason: "nothing wrong", dismissedAt: when },
});
export const viewedByModerator = (reportId: string, when = at): GiveawayEvent => ({
  type: "ConversationViewedByModerator",
  data: { moderatorId: moderator, reportId, viewedAt: when },
});
export const rated = (raterId: string, rateeId: string, stars: number, comment: string | undefined, when = at): GiveawayEvent => ({
  type: "HandoverRated",
  data: { raterId, rateeId, stars, comment, ratedAt: when },
});

/** GiveawayCreated of any giveaway (the domain fixtures' `created` is always theirs). */
export const createdAs = (id: string, giverId: string, title: string, extra: { platformId?: string } = {}, when = at): GiveawayEvent => ({
  type: "GiveawayCreated",
  data: { giveawayId: id, giverId, title, description: "", createdAt: when, ...extra },
});

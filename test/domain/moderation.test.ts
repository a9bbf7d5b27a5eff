// Moderation, given / when / then: on a conversation (dismiss a report, hide a message, record a
// look) and on a user (suspend, lift), and the rules they rest on (who moderates, who is suspended).
import { describe, expect, it } from "vitest";
import type { GiveawayEvent, UserEvent } from "../../src/domain/events.ts";
import { parseUserEvent } from "../../src/domain/events.ts";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import { decideModeratorGrant, decideUserModeration } from "../../src/domain/moderationUsers.ts";
import { checkNotSuspended, foldModeratorGrant, foldSuspension, isModerator, suspensionHolds } from "../../src/domain/moderators.ts";
import { given } from "./decider-spec.ts";
import { alice, at, bob, created, drawnWithAliceWinning, entered, giver, message1, message2, messageSent, now, stranger } from "./fixtures.ts";

const reportId = "7e0d1c2b-0001-4aaa-8bbb-000000000001";
const otherReport = "7e0d1c2b-0002-4aaa-8bbb-000000000002";
const moderator = { id: stranger, isModerator: true };
const notModerator = { id: bob, isModerator: false };
const filed: GiveawayEvent = {
  type: "ReportFiled",
  data: { reportId, reporterId: giver, reportedUserId: alice, reason: "scam", messageId: message1, atRevision: 4, filedAt: at },
};
const conversation = (): GiveawayEvent[] => [...drawnWithAliceWinning(), messageSent(message1, alice, "pay 5 EUR delivery fee first"), filed];
const hide = (by = moderator, messageId = message1, reason = "asks for money"): GiveawayCommand => ({ type: "HideMessage", by, messageId, reason, now });
const dismiss = (by = moderator, id = reportId, reason = "not a scam"): GiveawayCommand => ({ type: "DismissReport", by, reportId: id, reason, now });
const look = (by = moderator, id = reportId): GiveawayCommand => ({ type: "RecordModeratorView", by, reportId: id, now });

describe("HideMessage", () => {
  it("hides a message, naming the moderator and the reason", () => {
    given(conversation()).when(hide()).then([{ type: "MessageHidden", data: { messageId: message1, moderatorId: stranger, reason: "asks for money", hiddenAt: at } }]);
  });
  it("is refused to a non-moderator, even a participant", () => {
    given(conversation()).when(hide({ id: giver, isModerator: false })).then("not_moderator");
  });
  it("refuses an unknown message", () => {
    given(conversation()).when(hide(moderator, message2)).then("message_not_found");
  });
  it("leaves the sender no way to bring it back: edit, remove and reactions are refused", () => {
    const hidden: GiveawayEvent = { type: "MessageHidden", data: { messageId: message1, moderatorId: stranger, reason: "x", hiddenAt: at } };
    const editWindowMs = 60 * 60_000;
    given([...conversation(), hidden]).when({ type: "EditMessage", messageId: message1, userId: alice, content: "pay me", now, editWindowMs }).then("message_retracted");
    given([...conversation(), hidden]).when({ type: "RetractMessage", messageId: message1, userId: alice, now, editWindowMs }).then("message_retracted");
    given([...conversation(), hidden]).when({ type: "ReactToMessage", messageId: message1, userId: giver, emoji: "👍", reacted: true, now }).then("message_retracted");
    // Before it was hidden, its sender could still edit it.
    given(conversation()).when({ type: "EditMessage", messageId: message1, userId: alice, content: "pay me", now, editWindowMs }).then([
      { type: "MessageEdited", data: { messageId: message1, editorId: alice, content: "pay me", editedAt: at } },
    ]);
  });
  it("refuses a giveaway not drawn yet (no conversation, no messages)", () => {
    given([created(), entered(alice)]).when(hide()).then("message_not_found");
  });
  it("refuses without a reason", () => {
    given(conversation()).when(hide(moderator, message1, "   ")).then("invalid_moderation");
  });
  it("changes nothing when the message is already hidden", () => {
    const hidden: GiveawayEvent = { type: "MessageHidden", data: { messageId: message1, moderatorId: stranger, reason: "x", hiddenAt: at } };
    given([...conversation(), hidden]).when(hide()).then([]);
  });
  it("refuses a platform notice", () => {
    const notice: GiveawayEvent = { type: "SystemMessagePosted", data: { messageId: message2, content: "Pickup soon", postedAt: at } };
    given([...conversation(), notice]).when(hide(moderator, message2)).then("invalid_moderation");
  });
});

describe("DismissReport", () => {
  it("dismisses an open report", () => {
    given(conversation()).when(dismiss()).then([{ type: "ReportDismissed", data: { reportId, moderatorId: stranger, reason: "not a scam", dismissedAt: at } }]);
  });
  it("is refused to a non-moderator", () => {
    given(conversation()).when(dismiss(notModerator)).then("not_moderator");
  });
  it("refuses a report not filed in this conversation", () => {
    given(conversation()).when(dismiss(moderator, otherReport)).then("report_not_found");
  });
  it("refuses a report already dismissed", () => {
    const dismissed: GiveawayEvent = { type: "ReportDismissed", data: { reportId, moderatorId: stranger, reason: "x", dismissedAt: at } };
    given([...conversation(), dismissed]).when(dismiss()).then("report_not_open");
  });
});

describe("RecordModeratorView", () => {
  it("records who looked at which report's conversation, and when", () => {
    given(conversation()).when(look()).then([{ type: "ConversationViewedByModerator", data: { moderatorId: stranger, reportId, viewedAt: at } }]);
  });
  it("is refused to a non-moderator, and for an unknown report", () => {
    given(conversation()).when(look(notModerator)).then("not_moderator");
    given(conversation()).when(look(moderator, otherReport)).then("report_not_found");
  });
});

const registered: UserEvent = { type: "UserRegistered", data: { userId: alice, username: "alice", passwordHash: "h", registeredAt: at } };
const later = (ms: number) => new Date(now.getTime() + ms);
const hour = 3_600_000;

describe("SuspendUser and UnsuspendUser", () => {
  it("suspends until a time, and ends every session of the user in the same decision", () => {
    const until = later(hour);
    const decision = decideUserModeration({ type: "SuspendUser", by: moderator, userId: alice, reason: "scam", until, now }, [registered]);
    expect(decision).toEqual({
      ok: true,
      events: [
        { type: "UserSuspended", data: { userId: alice, moderatorId: stranger, reason: "scam", until: until.toISOString(), suspendedAt: at } },
        { type: "AllSessionsEnded", data: { userId: alice, endedAt: at } },
      ],
    });
    // What is decided survives the store's check.
    if (decision.ok) for (const event of decision.events) expect(parseUserEvent(event.type, JSON.parse(JSON.stringify(event.data)))).toEqual(event);
  });
  it("suspends for good without an until", () => {
    const decision = decideUserModeration({ type: "SuspendUser", by: moderator, userId: alice, reason: "scam", now }, [registered]);
    expect(decision.ok && decision.events[0]).toEqual({ type: "UserSuspended", data: { userId: alice, moderatorId: stranger, reason: "scam", suspendedAt: at } });
  });
  it("is refused to a non-moderator, without a reason, with an until in the past, and on oneself", () => {
    const refusal = (command: Parameters<typeof decideUserModeration>[0]) => {
      const decision = decideUserModeration(command, [registered]);
      return decision.ok ? "decided" : decision.error.code;
    };
    expect(refusal({ type: "SuspendUser", by: notModerator, userId: alice, reason: "scam", now })).toBe("not_moderator");
    expect(refusal({ type: "SuspendUser", by: moderator, userId: alice, reason: "", now })).toBe("invalid_moderation");
    expect(refusal({ type: "SuspendUser", by: moderator, userId: alice, reason: "scam", until: later(-1), now })).toBe("invalid_moderation");
    expect(refusal({ type: "SuspendUser", by: { id: alice, isModerator: true }, userId: alice, reason: "scam", now })).toBe("invalid_moderation");
  });
  it("lifts a suspension that holds, and refuses one that does not (never made, lifted, or expired)", () => {
    const suspended: UserEvent = { type: "UserSuspended", data: { userId: alice, moderatorId: stranger, reason: "scam", until: later(hour).toISOString(), suspendedAt: at } };
    const lift = (history: UserEvent[], when = now) => decideUserModeration({ type: "UnsuspendUser", by: moderator, userId: alice, reason: "appeal", now: when }, history);
    expect(lift([registered, suspended])).toEqual({ ok: true, events: [{ type: "UserUnsuspended", data: { userId: alice, moderatorId: stranger, reason: "appeal", unsuspendedAt: at } }] });
    expect(lift([registered])).toMatchObject({ ok: false, error: { code: "not_suspended" } });
    expect(lift([registered, suspended], later(2 * hour))).toMatchObject({ ok: false, error: { code: "not_suspended" } });
  });
});

describe("a suspended user", () => {
  const suspended = (until?: string): UserEvent => ({ type: "UserSuspended", data: { userId: alice, moderatorId: stranger, reason: "scam", ...(until && { until }), suspendedAt: at } });
  it("is refused sending (and signing in, entering: every act) while the suspension holds", () => {
    expect(checkNotSuspended(foldSuspension([registered, suspended()]), now)).toMatchObject({ code: "suspended" });
    expect(checkNotSuspended(foldSuspension([registered]), now)).toBeNull();
  });
  it("may act again once the suspension expires by itself, or is lifted", () => {
    const history = [registered, suspended(later(hour).toISOString())];
    expect(suspensionHolds(foldSuspension(history), later(hour - 1))).toBe(true);
    expect(suspensionHolds(foldSuspension(history), later(hour))).toBe(false);
    const lifted: UserEvent = { type: "UserUnsuspended", data: { userId: alice, moderatorId: stranger, reason: "appeal", unsuspendedAt: at } };
    expect(suspensionHolds(foldSuspension([...history, lifted]), now)).toBe(false);
  });
});

describe("who moderates", () => {
  it("is a user the operator granted (until revoked), or a platform user with the moderator role", () => {
    expect(isModerator({ granted: false, platformRoles: [] })).toBe(false);
    expect(isModerator({ granted: true, platformRoles: [] })).toBe(true);
    expect(isModerator({ granted: false, platformRoles: ["member", "moderator"] })).toBe(true);
    const granted = decideModeratorGrant(true, alice, [registered], now);
    expect(granted).toEqual([{ type: "ModeratorGranted", data: { userId: alice, grantedAt: at } }]);
    expect(foldModeratorGrant([registered, ...granted])).toBe(true);
    expect(decideModeratorGrant(true, alice, [registered, ...granted], now)).toEqual([]);
    const revoked = decideModeratorGrant(false, alice, [registered, ...granted], now);
    expect(revoked).toEqual([{ type: "ModeratorRevoked", data: { userId: alice, revokedAt: at } }]);
    expect(foldModeratorGrant([registered, ...granted, ...revoked])).toBe(false);
  });
});

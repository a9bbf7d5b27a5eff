// Filing a report, given / when / then: a participant reports the other person's message, or the
// conversation; atRevision is the stream's revision when it was filed.
import { describe, it } from "vitest";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import { given } from "./decider-spec.ts";
import { alice, at, bob, created, drawnWithAliceWinning, entered, giver, message1, message2, messageSent, now, stranger } from "./fixtures.ts";
import { redrawn } from "./pickupFixtures.ts";

const reportId = "7e0d1c2b-0001-4aaa-8bbb-000000000001";
const report = (reporterId: string, fields: { messageId?: string; note?: string; reason?: "spam" | "scam" | "harassment" | "other" } = {}): GiveawayCommand => ({
  type: "FileReport",
  reportId,
  reporterId,
  reason: fields.reason ?? "scam",
  note: fields.note,
  messageId: fields.messageId,
  now,
});
const filed = (data: { reporterId: string; reportedUserId: string; atRevision: number; messageId?: string; note?: string; reason?: "spam" | "scam" | "harassment" | "other" }): GiveawayEvent => ({
  type: "ReportFiled",
  data: { reportId, reason: "scam", filedAt: at, ...data },
});
const system: GiveawayEvent = { type: "SystemMessagePosted", data: { messageId: message2, content: "Pickup reminder", postedAt: at } };

describe("FileReport", () => {
  it("reports the other person's message, at the stream's revision", () => {
    const history = [...drawnWithAliceWinning(), messageSent(message1, alice, "pay 5 EUR delivery fee first")];
    given(history).when(report(giver, { messageId: message1, note: "  asks for money " })).then([
      filed({ reporterId: giver, reportedUserId: alice, messageId: message1, note: "asks for money", atRevision: 4 }),
    ]);
  });

  it("reports the conversation: the other person", () => {
    given(drawnWithAliceWinning()).when(report(alice, { reason: "harassment" })).then([filed({ reporterId: alice, reportedUserId: giver, reason: "harassment", atRevision: 3 })]);
  });

  it("refuses reporting one's own message, or a notice of the platform", () => {
    const history = [...drawnWithAliceWinning(), messageSent(message1, alice, "hello"), system];
    given(history).when(report(alice, { messageId: message1 })).then("not_reportable");
    given(history).when(report(giver, { messageId: message2 })).then("not_reportable");
  });

  it("refuses a stranger and a losing entrant, and anyone before the draw", () => {
    given(drawnWithAliceWinning()).when(report(stranger)).then("not_participant");
    given(drawnWithAliceWinning()).when(report(bob)).then("not_participant");
    given([created(), entered(alice)]).when(report(alice)).then("conversation_closed");
    given([]).when(report(alice)).then("giveaway_not_found");
  });

  it("refuses a message that is not there, and a note over 1000 characters", () => {
    given(drawnWithAliceWinning()).when(report(giver, { messageId: message1 })).then("message_not_found");
    given(drawnWithAliceWinning()).when(report(giver, { note: "x".repeat(1001) })).then("invalid_note");
    given(drawnWithAliceWinning()).when(report(giver, { note: "x".repeat(1000) })).then([filed({ reporterId: giver, reportedUserId: alice, note: "x".repeat(1000), atRevision: 3 })]);
  });

  it("lets a former winner report their own round, but not the next winner's messages", () => {
    const history = [...drawnWithAliceWinning(), messageSent(message1, giver, "are you coming?"), redrawn(bob, alice, "no_show", 50), messageSent(message2, bob, "hi")];
    given(history).when(report(alice, { messageId: message1 })).then([filed({ reporterId: alice, reportedUserId: giver, messageId: message1, atRevision: 6 })]);
    given(history).when(report(alice, { messageId: message2 })).then("message_not_found");
    given(history).when(report(giver, { messageId: message2, reason: "spam" })).then([filed({ reporterId: giver, reportedUserId: bob, messageId: message2, reason: "spam", atRevision: 6 })]);
  });
});

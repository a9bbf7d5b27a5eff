// The platform's commands on a giveaway, given / when / then: its decisions are authoritative, and
// handoff's own rules still hold where the meaning is the same.
import { describe, expect, it } from "vitest";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import { foldGiveaway } from "../../src/domain/giveaway.ts";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import { given } from "./decider-spec.ts";
import { alice, at, bob, carol, entered, giveawayId, giver, message1, now, stranger } from "./fixtures.ts";

const platformId = "shop-giveaway_42";
const created = (title = "A bike", description = ""): GiveawayEvent => ({
  type: "GiveawayCreated",
  data: { giveawayId, giverId: giver, title, description, createdAt: at, platformId },
});
const put = (fields: { title?: string; description?: string; giverId?: string } = {}): GiveawayCommand => ({
  type: "PutPlatformGiveaway", giveawayId, platformId, giverId: fields.giverId ?? giver, title: fields.title ?? "A bike", description: fields.description, now,
});
const changed = (data: { title?: string; description?: string; giverId?: string }): GiveawayEvent => ({ type: "GiveawayDetailsChanged", data: { ...data, changedAt: at } });
const withdrawn = (userId: string): GiveawayEvent => ({ type: "EntryWithdrawn", data: { userId, withdrawnAt: at } });
const platformDrawn = (winnerId: string): GiveawayEvent => ({ type: "DrawConducted", data: { winnerId, drawnAt: at, decidedBy: "platform" } });
const redrawn = (winnerId: string, previousWinnerId: string): GiveawayEvent => ({ type: "WinnerRedrawn", data: { winnerId, previousWinnerId, reason: "platform", redrawnAt: at } });
const cancelled = (reason = ""): GiveawayEvent => ({ type: "GiveawayCancelled", data: { cancelledBy: giver, reason, cancelledAt: at, readOnlyFrom: at } });
const system = (messageId: string, content: string): GiveawayEvent => ({ type: "SystemMessagePosted", data: { messageId, content, postedAt: at } });
const draw = (winnerId: string): GiveawayCommand => ({ type: "PlatformDraw", winnerId, now });
const redraw = (winnerId: string): GiveawayCommand => ({ type: "PlatformRedraw", winnerId, now });
const add = (userId: string): GiveawayCommand => ({ type: "AddPlatformEntrant", userId, now });
const withdraw = (userId: string): GiveawayCommand => ({ type: "WithdrawPlatformEntrant", userId, now });
const post = (content: string, messageId = message1): GiveawayCommand => ({ type: "PostSystemMessage", messageId, content, now });

describe("PutPlatformGiveaway", () => {
  it("creates the giveaway with the platform's id, trimmed as handoff's own creation trims", () => {
    given([]).when(put({ title: "  A bike " })).then([created()]);
    given([]).when(put({ title: " " })).then("invalid_title");
    given([]).when(put({ title: "A bike", description: "x".repeat(2001) })).then("invalid_description");
  });

  it("the same details again change nothing; changed ones are one event with only what changed", () => {
    given([created("A bike", "red")]).when(put({ title: "A bike", description: "red" })).then([]);
    given([created("A bike", "red")]).when(put({ title: "A bike" })).then([]); // no description: left as it is
    given([created("A bike", "red")]).when(put({ title: "A blue bike", description: "red" })).then([changed({ title: "A blue bike" })]);
    given([created("A bike", "red")]).when(put({ description: "" })).then([changed({ description: "" })]);
    given([created(), changed({ description: "blue" })]).when(put({ description: "blue" })).then([]);
    given([created()]).when(put({ giverId: carol })).then([changed({ giverId: carol })]);
  });

  it("the giver is fixed while anyone is entered and after the draw, but not once everyone withdrew", () => {
    given([created(), entered(alice)]).when(put({ giverId: carol })).then("giver_fixed");
    given([created(), entered(alice), platformDrawn(alice)]).when(put({ giverId: carol })).then("giver_fixed");
    given([created(), entered(alice), withdrawn(alice)]).when(put({ giverId: carol })).then([changed({ giverId: carol })]);
    given([created(), entered(alice)]).when(put({ title: "Renamed" })).then([changed({ title: "Renamed" })]);
  });

  it("folds the change: the new giver is the giver", () => {
    const state = foldGiveaway([created(), changed({ giverId: carol, title: "T" })].map((event, revision) => ({ event, revision })));
    expect(state).toMatchObject({ status: "open", giverId: carol, title: "T" });
  });
});

describe("entrants", () => {
  it("adds an entrant once; the giver cannot enter; a cancelled giveaway takes nobody", () => {
    given([created()]).when(add(alice)).then([entered(alice)]);
    given([created(), entered(alice)]).when(add(alice)).then([]);
    given([created()]).when(add(giver)).then("giver_cannot_enter");
    given([created(), cancelled()]).when(add(alice)).then("giveaway_cancelled");
    given([]).when(add(alice)).then("giveaway_not_found");
  });

  it("after the draw, entries are closed: adding someone new or withdrawing anyone", () => {
    given([created(), entered(alice), platformDrawn(alice)]).when(add(bob)).then("entries_closed");
    given([created(), entered(alice), platformDrawn(alice)]).when(add(alice)).then([]);
    given([created(), entered(alice), platformDrawn(alice)]).when(withdraw(alice)).then("entries_closed");
  });

  it("withdraws an entrant; withdrawing someone not entered changes nothing; the draw no longer sees them", () => {
    given([created(), entered(alice)]).when(withdraw(alice)).then([withdrawn(alice)]);
    given([created(), entered(alice), withdrawn(alice)]).when(withdraw(alice)).then([]);
    given([created()]).when(withdraw(stranger)).then([]);
    given([created(), entered(alice), withdrawn(alice)]).when(draw(alice)).then("winner_not_entrant");
    given([created(), entered(alice), withdrawn(alice)]).when(add(alice)).then([entered(alice)]);
  });
});

describe("the platform's draw and redraw", () => {
  it("draws the platform's winner, who must be an entrant; a second draw is refused", () => {
    given([created(), entered(alice), entered(bob)]).when(draw(bob)).then([platformDrawn(bob)]);
    given([created(), entered(alice)]).when(draw(carol)).then("winner_not_entrant");
    given([created(), entered(alice)]).when(draw(giver)).then("winner_not_entrant");
    given([created(), entered(alice), platformDrawn(alice)]).when(draw(alice)).then("already_drawn");
    given([created(), entered(alice), cancelled()]).when(draw(alice)).then("giveaway_cancelled");
    given([]).when(draw(alice)).then("giveaway_not_found");
  });

  it("redraws at once, without handoff's no-show wait, to another entrant; the same winner again is a retry", () => {
    const drawnAlice = [created(), entered(alice), entered(bob), entered(carol), platformDrawn(alice)];
    given(drawnAlice).when(redraw(bob)).then([redrawn(bob, alice)]);
    given(drawnAlice).when(redraw(alice)).then([]);
    given(drawnAlice).when(redraw(stranger)).then("winner_not_entrant");
    given([...drawnAlice, redrawn(bob, alice)]).when(redraw(alice)).then("winner_replaced");
    given([...drawnAlice, redrawn(bob, alice)]).when(redraw(carol)).then([redrawn(carol, bob)]);
    given([created(), entered(alice)]).when(redraw(alice)).then("conversation_closed");
    given([...drawnAlice, cancelled()]).when(redraw(bob)).then("giveaway_cancelled");
  });
});

describe("the platform's cancel", () => {
  it("is handoff's cancel on the giver's behalf, with its reason; twice is refused", () => {
    given([created(), entered(alice)]).when({ type: "CancelPlatformGiveaway", reason: " sold ", now, lastWordsMs: 0 }).then([cancelled("sold")]);
    given([created(), cancelled()]).when({ type: "CancelPlatformGiveaway", now, lastWordsMs: 0 }).then("giveaway_cancelled");
    given([]).when({ type: "CancelPlatformGiveaway", now, lastWordsMs: 0 }).then("giveaway_not_found");
  });
});

describe("PostSystemMessage", () => {
  const drawnAlice = [created(), entered(alice), platformDrawn(alice)];

  it("posts once the winner is drawn; a retried id with the same text is stored once, another text under it is a clash", () => {
    given(drawnAlice).when(post(" Reserved for you ")).then([system(message1, "Reserved for you")]);
    given([...drawnAlice, system(message1, "Reserved for you")]).when(post("Reserved for you")).then([]);
    given([...drawnAlice, system(message1, "Reserved for you")]).when(post("Something else")).then("message_id_conflict");
  });

  it("refuses before the draw, for an unknown giveaway, and an empty or too long text", () => {
    given([created(), entered(alice)]).when(post("hi")).then("conversation_closed");
    given([]).when(post("hi")).then("giveaway_not_found");
    given(drawnAlice).when(post("   ")).then("invalid_content");
    given(drawnAlice).when(post("x".repeat(2001))).then("invalid_content");
  });

  it("a system message cannot be edited or retracted by anyone", () => {
    given([...drawnAlice, system(message1, "Reserved")]).when({ type: "EditMessage", messageId: message1, userId: giver, content: "x", now, editWindowMs: 60_000 }).then("not_sender");
  });
});

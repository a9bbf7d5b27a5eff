import { describe, expect, it } from "vitest";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import { foldGiveaway } from "../../src/domain/giveaway.ts";
import { decide } from "../../src/domain/giveawayDecide.ts";
import { given } from "./decider-spec.ts";
import { alice, bob, carol, created, entered, giver, message1, messageSent, stranger } from "./fixtures.ts";
import {
  accepted, agreed, cancelled, completed, drawnAmongThree, handedOver, hour, later, prizeDeclined, proposal1, proposed, received, redrawn,
} from "./pickupFixtures.ts";

const noShowAfterMs = 48 * hour;
const redraw = (by: string, nowHours: number, pick = (n: number) => n - 1, replacing?: string): GiveawayCommand => ({
  type: "RedrawWinner", by, now: later(nowHours), noShowAfterMs, pick, replacing,
});
const declinePrize = (by: string, nowHours = 1): GiveawayCommand => ({ type: "DeclinePrize", by, now: later(nowHours) });

describe("DeclinePrize", () => {
  it("the winner declines; again is a retry", () => {
    given(drawnAmongThree()).when(declinePrize(alice)).then([prizeDeclined(alice, 1)]);
    given([...drawnAmongThree(), prizeDeclined(alice, 1)]).when(declinePrize(alice, 2)).then([]);
  });

  it("refuses the giver (403), outsiders, after the handover began, completed and cancelled", () => {
    given(drawnAmongThree()).when(declinePrize(giver)).then("wrong_participant");
    given(drawnAmongThree()).when(declinePrize(bob)).then("not_participant");
    given([...agreed(), received(alice, 25)]).when(declinePrize(alice, 25)).then("handover_started");
    given([...agreed(), handedOver(25), received(alice, 25), completed(25, 1)]).when(declinePrize(alice, 26)).then("giveaway_completed");
    given([...drawnAmongThree(), cancelled(1, 24)]).when(declinePrize(alice, 2)).then("giveaway_cancelled");
  });
});

describe("RedrawWinner", () => {
  it("a silent winner is a no-show once the configured time has passed since the draw, not a moment before", () => {
    given(drawnAmongThree()).when(redraw(giver, 47.99)).then("redraw_not_allowed");
    given(drawnAmongThree()).when(redraw(giver, 48)).then([redrawn(carol, alice, "no_show", 48)]);
  });

  it("draws among the remaining entrants only, by the injected pick", () => {
    const asked: number[] = [];
    given(drawnAmongThree()).when(redraw(giver, 48, (n) => (asked.push(n), 0))).then([redrawn(bob, alice, "no_show", 48)]);
    expect(asked).toEqual([2]);
  });

  it("a declined prize allows a redraw at once", () => {
    given([...drawnAmongThree(), prizeDeclined(alice, 1)]).when(redraw(giver, 1)).then([redrawn(carol, alice, "declined", 1)]);
  });

  it("a winner who wrote, proposed or answered is no no-show", () => {
    given([...drawnAmongThree(), messageSent(message1, alice, "hi")]).when(redraw(giver, 100)).then("redraw_not_allowed");
    given([...drawnAmongThree(), proposed(proposal1, alice)]).when(redraw(giver, 100)).then("redraw_not_allowed");
    given([...drawnAmongThree(), proposed(proposal1, giver), accepted(proposal1, alice)]).when(redraw(giver, 100)).then("redraw_not_allowed");
  });

  it("the giver's own messages do not count as the winner answering", () => {
    given([...drawnAmongThree(), messageSent(message1, giver, "hello?")]).when(redraw(giver, 48)).then([redrawn(carol, alice, "no_show", 48)]);
  });

  it("the next winner's no-show time runs from the redraw", () => {
    const afterRedraw = [...drawnAmongThree(), redrawn(carol, alice, "no_show", 48)];
    given(afterRedraw).when(redraw(giver, 95)).then("redraw_not_allowed");
    given(afterRedraw).when(redraw(giver, 96)).then([redrawn(bob, carol, "no_show", 96)]);
  });

  it("refuses when nobody is left", () => {
    given([...drawnAmongThree(), redrawn(carol, alice, "no_show", 48), redrawn(bob, carol, "no_show", 96)]).when(redraw(giver, 200)).then("no_entrants_left");
    given([created(), entered(alice), { type: "DrawConducted", data: { winnerId: alice, drawnAt: later(0).toISOString() } }]).when(redraw(giver, 48)).then("no_entrants_left");
  });

  it("a retried redraw naming the winner it replaced changes nothing", () => {
    const afterRedraw = [...drawnAmongThree(), redrawn(carol, alice, "no_show", 48)];
    given(afterRedraw).when(redraw(giver, 48, undefined, alice)).then([]);
  });

  it("refuses anyone but the giver, before the draw, after the handover began, completed and cancelled", () => {
    given(drawnAmongThree()).when(redraw(alice, 48)).then("not_giver");
    given(drawnAmongThree()).when(redraw(stranger, 48)).then("not_giver");
    given([created(), entered(alice)]).when(redraw(giver, 48)).then("conversation_closed");
    given([]).when(redraw(giver, 48)).then("giveaway_not_found");
    given([...drawnAmongThree(), prizeDeclined(alice), cancelled(1, 24)]).when(redraw(giver, 2)).then("giveaway_cancelled");
    given([created(), cancelled(0, 0)]).when(redraw(giver, 48)).then("giveaway_cancelled");
    given([...agreed(), handedOver(25), received(alice, 25), completed(25, 1)]).when(redraw(giver, 100)).then("giveaway_completed");
  });
});

describe("after a redraw: who may read and write", () => {
  const afterRedraw = () => [...drawnAmongThree(), messageSent(message1, giver, "hello?"), redrawn(carol, alice, "no_show", 48)];
  const send = (senderId: string): GiveawayCommand => ({ type: "SendMessage", messageId: message1.replace("0001", "0009"), senderId, content: "hi", now: later(49) });

  it("the new winner and the giver send; the former winner can no longer", () => {
    const state = foldGiveaway(afterRedraw().map((event, revision) => ({ event, revision })));
    expect(decide(send(carol), state).ok).toBe(true);
    expect(decide(send(giver), state).ok).toBe(true);
    given(afterRedraw()).when(send(alice)).then("not_participant");
  });

  it("the former winner still marks their conversation read; strangers cannot", () => {
    given(afterRedraw()).when({ type: "MarkConversationRead", userId: alice, upToRevision: 5, now: later(50) }).then([
      { type: "ConversationRead", data: { userId: alice, upToRevision: 5, readAt: later(50).toISOString() } },
    ]);
    given(afterRedraw()).when({ type: "MarkConversationRead", userId: stranger, upToRevision: 5, now: later(50) }).then("not_participant");
  });

  it("proposals start afresh with the new winner", () => {
    given([...drawnAmongThree(), proposed(proposal1, giver), redrawn(carol, alice, "no_show", 48)])
      .when({ type: "AcceptPickupProposal", proposalId: proposal1, by: carol, now: later(49) })
      .then("proposal_not_found");
  });
});

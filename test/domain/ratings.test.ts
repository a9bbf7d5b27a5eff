import { describe, it } from "vitest";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import { given } from "./decider-spec.ts";
import { alice, bob, giver } from "./fixtures.ts";
import { agreed, completed, handedOver, iso, later, received, redrawn, drawnAmongThree } from "./pickupFixtures.ts";

const day = 24;
/** Handed over at hour 25: completed then, so ratings are open until hour 25 + 7 days. */
const handedOverAt25 = (): GiveawayEvent[] => [...agreed(), handedOver(25), received(alice, 25), completed(25, 24)];
const rate = (raterId: string, stars: number, nowHours = 30, comment?: string, blocked = false): GiveawayCommand => ({
  type: "RateHandover", raterId, stars, comment, now: later(nowHours), blocked,
});
const rated = (raterId: string, rateeId: string, stars: number, atHours = 30, comment?: string): GiveawayEvent => ({
  type: "HandoverRated",
  data: { raterId, rateeId, stars, ...(comment !== undefined && { comment }), ratedAt: iso(atHours) },
});

describe("RateHandover", () => {
  it("after the handover the giver rates the winner and the winner rates the giver", () => {
    given(handedOverAt25()).when(rate(giver, 5, 30, "  On time, friendly  ")).then([rated(giver, alice, 5, 30, "On time, friendly")]);
    given(handedOverAt25()).when(rate(alice, 4)).then([rated(alice, giver, 4)]);
  });

  it("is refused before completion: drawn, agreed, or one side confirmed", () => {
    given(drawnAmongThree()).when(rate(giver, 5)).then("not_completed");
    given(agreed()).when(rate(alice, 5)).then("not_completed");
    given([...agreed(), handedOver(25)]).when(rate(giver, 5)).then("not_completed");
  });

  it("a second rating is an edit: the same event again, and the same rating again changes nothing", () => {
    const history = [...handedOverAt25(), rated(giver, alice, 3, 30)];
    given(history).when(rate(giver, 5, 40, "better than I said")).then([rated(giver, alice, 5, 40, "better than I said")]);
    given(history).when(rate(giver, 3, 41)).then([]);
    given([...history, rated(giver, alice, 5, 40, "ok")]).when(rate(giver, 5, 42, "ok")).then([]);
  });

  it("is open for 7 days after completion, then refused, a first rating as well as an edit", () => {
    given(handedOverAt25()).when(rate(alice, 4, 25 + 7 * day)).then([rated(alice, giver, 4, 25 + 7 * day)]);
    given(handedOverAt25()).when(rate(alice, 4, 25 + 7 * day + 1)).then("rating_closed");
    given([...handedOverAt25(), rated(alice, giver, 4)]).when(rate(alice, 2, 25 + 8 * day)).then("rating_closed");
  });

  it("refuses rating yourself (the platform made the winner the giver)", () => {
    const sameSides: GiveawayEvent = { type: "GiveawayDetailsChanged", data: { giverId: alice, changedAt: iso(26) } };
    given([...handedOverAt25(), sameSides]).when(rate(alice, 5)).then("cannot_rate_self");
  });

  it("refuses out-of-range and fractional stars, and a comment over 500 characters", () => {
    for (const stars of [0, 6, -1, 2.5, Number.NaN]) given(handedOverAt25()).when(rate(giver, stars)).then("invalid_stars");
    given(handedOverAt25()).when(rate(giver, 5, 30, "x".repeat(501))).then("invalid_comment");
    given(handedOverAt25()).when(rate(giver, 5, 30, "x".repeat(500))).then([rated(giver, alice, 5, 30, "x".repeat(500))]);
  });

  it("refuses outsiders, a replaced winner, and two people of whom one blocked the other", () => {
    given(handedOverAt25()).when(rate(bob, 5)).then("not_participant");
    const replaced = [...drawnAmongThree(), redrawn(bob, alice, "no_show", 80)];
    given(replaced).when(rate(alice, 1)).then("not_participant");
    given(handedOverAt25()).when(rate(giver, 5, 30, undefined, true)).then("blocked");
  });
});

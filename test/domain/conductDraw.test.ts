import { describe, expect, it } from "vitest";
import { foldGiveaway } from "../../src/domain/giveaway.ts";
import { decide } from "../../src/domain/giveawayDecide.ts";
import { given } from "./decider-spec.ts";
import { alice, bob, carol, created, drawn, drawnWithAliceWinning, entered, giver, now } from "./fixtures.ts";

const draw = (by: string, pick: (count: number) => number) => ({ type: "ConductDraw", by, now, pick }) as const;
const threeEntrants = [created(), entered(alice), entered(bob), entered(carol)];

describe("ConductDraw", () => {
  it("draws the entrant at the picked index", () => {
    given(threeEntrants).when(draw(giver, () => 2)).then([drawn(carol)]);
    given(threeEntrants).when(draw(giver, () => 0)).then([drawn(alice)]);
  });

  it("asks the picker for an index among all entrants, so a uniform picker gives a uniform draw", () => {
    const asked: number[] = [];
    given(threeEntrants).when(draw(giver, (count) => (asked.push(count), 1))).then([drawn(bob)]);
    expect(asked).toEqual([3]);
  });

  it("gives every entrant a winning index", () => {
    const winners = [0, 1, 2].map((index) => {
      const state = foldGiveaway(threeEntrants.map((event, revision) => ({ event, revision })));
      const decision = decide(draw(giver, () => index), state);
      return decision.ok ? decision.events[0] : undefined;
    });
    expect(winners).toEqual([drawn(alice), drawn(bob), drawn(carol)]);
  });

  it.each([3, -1, 1.5, Number.NaN])("throws when the picker returns %s, rather than skewing the odds", (index) => {
    const state = foldGiveaway(threeEntrants.map((event, revision) => ({ event, revision })));
    expect(() => decide(draw(giver, () => index), state)).toThrow(RangeError);
  });

  it("refuses when the giveaway does not exist", () => {
    given([]).when(draw(giver, () => 0)).then("giveaway_not_found");
  });

  it("refuses anyone but the giver", () => {
    given(threeEntrants).when(draw(alice, () => 0)).then("not_giver");
  });

  it("refuses a second draw", () => {
    given(drawnWithAliceWinning()).when(draw(giver, () => 1)).then("already_drawn");
  });

  it("refuses when nobody has entered", () => {
    given([created()]).when(draw(giver, () => 0)).then("no_entrants");
  });
});

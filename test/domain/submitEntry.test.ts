import { describe, it } from "vitest";
import { given } from "./decider-spec.ts";
import { alice, bob, carol, created, drawnWithAliceWinning, entered, giver, now } from "./fixtures.ts";

const enter = (userId: string) => ({ type: "SubmitEntry", userId, now }) as const;

describe("SubmitEntry", () => {
  it("enters a user into an open giveaway", () => {
    given([created()]).when(enter(alice)).then([entered(alice)]);
  });

  it("changes nothing when the user enters again", () => {
    given([created(), entered(alice)]).when(enter(alice)).then([]);
  });

  it("refuses when the giveaway does not exist", () => {
    given([]).when(enter(alice)).then("giveaway_not_found");
  });

  it("refuses the giver", () => {
    given([created()]).when(enter(giver)).then("giver_cannot_enter");
  });

  it("refuses after the draw, even someone who had entered", () => {
    given(drawnWithAliceWinning()).when(enter(carol)).then("already_drawn");
    given(drawnWithAliceWinning()).when(enter(bob)).then("already_drawn");
  });
});

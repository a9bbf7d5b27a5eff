import { describe, it } from "vitest";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import { given } from "./decider-spec.ts";
import { alice, bob, created, entered, giver, now } from "./fixtures.ts";
import { agreed, cancelled, completed, drawnAmongThree, handedOver, hour, later, received } from "./pickupFixtures.ts";

const cancel = (by: string, nowHours: number, reason?: string): GiveawayCommand => ({ type: "CancelGiveaway", by, reason, now: later(nowHours), lastWordsMs: 24 * hour });

describe("CancelGiveaway", () => {
  it("the giver cancels before the draw: closed at once, no entries, no draw", () => {
    given([created(), entered(alice)]).when(cancel(giver, 0, " moved away ")).then([cancelled(0, 0, "moved away")]);
    given([created(), cancelled(0, 0)]).when({ type: "SubmitEntry", userId: bob, now }).then("giveaway_cancelled");
    given([created(), entered(alice), cancelled(0, 0)]).when({ type: "ConductDraw", by: giver, now, pick: () => 0 }).then("giveaway_cancelled");
  });

  it("after the draw or the plan: the winner gets last words", () => {
    given(drawnAmongThree()).when(cancel(giver, 2)).then([cancelled(2, 24)]);
    given(agreed()).when(cancel(giver, 2, "broken")).then([cancelled(2, 24, "broken")]);
    given([...agreed(), handedOver(25)]).when(cancel(giver, 25)).then([cancelled(25, 24)]);
  });

  it("refuses anyone but the giver, twice, after completion, an unknown giveaway and a too long reason", () => {
    given(drawnAmongThree()).when(cancel(alice, 2)).then("not_giver");
    given([...drawnAmongThree(), cancelled(1, 24)]).when(cancel(giver, 2)).then("giveaway_cancelled");
    given([created(), cancelled(0, 0)]).when(cancel(giver, 2)).then("giveaway_cancelled");
    given([...agreed(), handedOver(25), received(alice, 25), completed(25, 24)]).when(cancel(giver, 26)).then("giveaway_completed");
    given([]).when(cancel(giver, 0)).then("giveaway_not_found");
    given(drawnAmongThree()).when(cancel(giver, 0, "x".repeat(501))).then("invalid_pickup");
  });
});

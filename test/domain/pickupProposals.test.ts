import { describe, it } from "vitest";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import { given } from "./decider-spec.ts";
import { alice, bob, created, entered, giver, stranger } from "./fixtures.ts";
import {
  accepted, agreed, cancelled, completed, declined, drawnAmongThree, handedOver, iso, later, prizeDeclined,
  proposal1, proposal2, proposed, received,
} from "./pickupFixtures.ts";

const propose = (by: string, overrides: Partial<{ proposalId: string; from: Date; to: Date; place: string; note: string; now: Date }> = {}): GiveawayCommand => ({
  type: "ProposePickup",
  proposalId: proposal1,
  by,
  from: later(24),
  to: later(26),
  place: "  Main St 1 ",
  note: "ring twice",
  now: later(0),
  ...overrides,
});
const accept = (by: string, proposalId = proposal1, nowHours = 1): GiveawayCommand => ({ type: "AcceptPickupProposal", proposalId, by, now: later(nowHours) });
const decline = (by: string, proposalId = proposal1, nowHours = 1): GiveawayCommand => ({ type: "DeclinePickupProposal", proposalId, by, now: later(nowHours) });

describe("ProposePickup", () => {
  it("records a proposal from either participant, place and note trimmed", () => {
    given(drawnAmongThree()).when(propose(giver)).then([proposed(proposal1, giver)]);
    given(drawnAmongThree()).when(propose(alice)).then([proposed(proposal1, alice)]);
  });

  it("takes a counter-proposal while one is open, and a new one after a plan (to reschedule)", () => {
    given([...drawnAmongThree(), proposed(proposal1, giver)]).when(propose(alice, { proposalId: proposal2 })).then([proposed(proposal2, alice)]);
    given(agreed()).when(propose(alice, { proposalId: proposal2 })).then([proposed(proposal2, alice)]);
  });

  it("is a retry when the same proposal comes again, and a conflict when the id is reused for another", () => {
    given([...drawnAmongThree(), proposed(proposal1, giver)]).when(propose(giver)).then([]);
    given([...drawnAmongThree(), proposed(proposal1, giver)]).when(propose(giver, { place: "elsewhere" })).then("proposal_id_conflict");
  });

  it("refuses windows that are empty, reversed, too long or already over, and bad places and notes", () => {
    given(drawnAmongThree()).when(propose(giver, { from: later(26), to: later(26) })).then("invalid_pickup");
    given(drawnAmongThree()).when(propose(giver, { from: later(27), to: later(26) })).then("invalid_pickup");
    given(drawnAmongThree()).when(propose(giver, { from: later(1), to: later(1 + 24 * 7 + 1) })).then("invalid_pickup");
    given(drawnAmongThree()).when(propose(giver, { now: later(30) })).then("invalid_pickup");
    given(drawnAmongThree()).when(propose(giver, { place: "   " })).then("invalid_pickup");
    given(drawnAmongThree()).when(propose(giver, { place: "x".repeat(201) })).then("invalid_pickup");
    given(drawnAmongThree()).when(propose(giver, { note: "x".repeat(501) })).then("invalid_pickup");
  });

  it("refuses outsiders, a giveaway not drawn yet, and an unknown giveaway", () => {
    given(drawnAmongThree()).when(propose(stranger)).then("not_participant");
    given([created(), entered(alice)]).when(propose(giver)).then("conversation_closed");
    given([created(), entered(alice)]).when(propose(stranger)).then("not_participant");
    given([]).when(propose(giver)).then("giveaway_not_found");
  });

  it("refuses once the state forbids it: declined prize, handover begun, completed, cancelled", () => {
    given([...drawnAmongThree(), prizeDeclined(alice)]).when(propose(giver)).then("prize_declined");
    given([...agreed(), handedOver(25)]).when(propose(alice, { proposalId: proposal2, now: later(25) })).then("handover_started");
    given([...agreed(), handedOver(25), received(alice, 25), completed(25, 24)]).when(propose(alice, { proposalId: proposal2, now: later(25) })).then("giveaway_completed");
    given([...drawnAmongThree(), cancelled(1, 24)]).when(propose(alice, { now: later(2) })).then("giveaway_cancelled");
    given([created(), cancelled(0, 0)]).when(propose(giver)).then("giveaway_cancelled");
  });
});

describe("AcceptPickupProposal / DeclinePickupProposal", () => {
  const open = () => [...drawnAmongThree(), proposed(proposal1, giver)];

  it("the other participant accepts: the plan", () => {
    given(open()).when(accept(alice)).then([accepted(proposal1, alice, 1)]);
  });

  it("the other participant declines", () => {
    given(open()).when(decline(alice)).then([declined(proposal1, alice, 1)]);
  });

  it("a repeated answer is a retry", () => {
    given([...open(), accepted(proposal1, alice, 1)]).when(accept(alice, proposal1, 2)).then([]);
    given([...open(), declined(proposal1, alice, 1)]).when(decline(alice, proposal1, 2)).then([]);
  });

  it("refuses the proposer answering their own proposal (403) and outsiders", () => {
    given(open()).when(accept(giver)).then("wrong_participant");
    given(open()).when(decline(giver)).then("wrong_participant");
    given(open()).when(accept(bob)).then("not_participant");
  });

  it("refuses an unknown proposal, a superseded or already answered one, and one whose window passed", () => {
    given(open()).when(accept(alice, proposal2)).then("proposal_not_found");
    given([...open(), proposed(proposal2, giver)]).when(accept(alice, proposal1)).then("proposal_not_open");
    given([...open(), declined(proposal1, alice)]).when(accept(alice)).then("proposal_not_open");
    given([...open(), accepted(proposal1, alice)]).when(decline(alice)).then("proposal_not_open");
    given(open()).when(accept(alice, proposal1, 26)).then("proposal_expired");
  });

  it("accepts a counter-proposal over the one it superseded", () => {
    given([...open(), proposed(proposal2, alice, 30, 31)]).when(accept(giver, proposal2)).then([accepted(proposal2, giver, 1)]);
  });

  it("refuses after the prize was declined, after completion and after cancellation", () => {
    given([...open(), prizeDeclined(alice)]).when(accept(alice)).then("prize_declined");
    given([...open(), cancelled(1, 24)]).when(accept(alice, proposal1, 2)).then("giveaway_cancelled");
    given([...agreed(), proposed(proposal2, giver), handedOver(25), received(alice, 25), completed(25, 24)])
      .when(accept(alice, proposal2, 26))
      .then("giveaway_completed");
  });

  it("keeps proposals' times exact through the store", () => {
    given(drawnAmongThree()).when(propose(alice, { from: new Date(iso(24)), to: new Date(iso(26)) })).then([proposed(proposal1, alice)]);
  });
});

import { describe, expect, it } from "vitest";
import { conversationAccess } from "../../src/domain/conversationAccess.ts";
import { foldGiveaway } from "../../src/domain/giveaway.ts";
import { mayReadRevision, roundOfRevision } from "../../src/domain/pickupAccess.ts";
import { alice, bob, carol, giver, message1, message2, messageSent, stranger } from "./fixtures.ts";
import { agreed, completed, drawnAmongThree, handedOver, later, received, redrawn } from "./pickupFixtures.ts";

type History = ReturnType<typeof drawnAmongThree>;
const fold = (events: History) => foldGiveaway(events.map((event, revision) => ({ event, revision })));
const accessOf = (events: History, userId: string, now: Date) => {
  const state = fold(events);
  if (state.status !== "drawn") throw new Error("not drawn");
  const facts = { status: state.status, giverId: state.giverId, winnerId: state.winnerId, hasEntered: state.entrants.includes(userId), rounds: state.pickup.rounds, readOnlyFrom: state.pickup.readOnlyFrom };
  return conversationAccess(facts, userId, now);
};

describe("the participant rule across a redraw", () => {
  // 4 draw (alice), 5 giver->alice, 6 redraw (carol), 7 giver->carol
  const history = [...drawnAmongThree(), messageSent(message1, giver, "alice?"), redrawn(carol, alice, "no_show", 48), messageSent(message2, giver, "carol!")];

  it("the giver reads both conversations, each message in its own round", () => {
    const access = accessOf(history, giver, later(49));
    if (!access.ok) throw new Error("refused");
    expect([access.role, access.canWrite, access.otherId]).toEqual(["giver", true, carol]);
    expect(roundOfRevision(access.rounds, 5)?.winnerId).toBe(alice);
    expect(roundOfRevision(access.rounds, 7)?.winnerId).toBe(carol);
  });

  it("the new winner reads only their own; the former winner only theirs, without sending", () => {
    const carols = accessOf(history, carol, later(49));
    if (!carols.ok) throw new Error("refused");
    expect([carols.role, carols.canWrite, mayReadRevision(carols, 5), mayReadRevision(carols, 7)]).toEqual(["winner", true, false, true]);
    const alices = accessOf(history, alice, later(49));
    if (!alices.ok) throw new Error("refused");
    expect([alices.role, alices.canWrite, alices.otherId, mayReadRevision(alices, 5), mayReadRevision(alices, 7)]).toEqual(["former_winner", false, giver, true, false]);
  });

  it("entrants never drawn and strangers are refused", () => {
    expect(accessOf(history, bob, later(49))).toMatchObject({ ok: false, code: "not_participant" });
    expect(accessOf(history, stranger, later(49))).toMatchObject({ ok: false, code: "not_participant" });
  });

  it("after completion everyone keeps reading, and sending stops when the last-words time ends", () => {
    const done = [...agreed(), handedOver(25), received(alice, 25), completed(25, 24)];
    expect(accessOf(done, alice, later(48))).toMatchObject({ ok: true, canWrite: true });
    expect(accessOf(done, alice, later(49))).toMatchObject({ ok: true, role: "winner", canWrite: false });
    expect(accessOf(done, giver, later(49))).toMatchObject({ ok: true, role: "giver", canWrite: false });
  });

  it("without recorded rounds (read models from before redraws) the winner reads everything after the draw", () => {
    const access = conversationAccess({ status: "drawn", giverId: giver, winnerId: alice, hasEntered: true }, alice, later(0));
    expect(access.ok && mayReadRevision(access, 0)).toBe(true);
  });
});

describe("the fold", () => {
  it("tracks the phase from drawn to agreed to completed", () => {
    const phase = (events: History) => {
      const state = fold(events);
      return state.status === "drawn" ? state.pickup.phase : state.status;
    };
    expect(phase(drawnAmongThree())).toBe("drawn");
    expect(phase(agreed())).toBe("pickup_agreed");
    expect(phase([...agreed(), handedOver(25), received(alice, 25), completed(25, 24)])).toBe("completed");
  });

  it("ignores an event that cannot apply instead of failing on written history", () => {
    const state = fold([...drawnAmongThree(), { type: "PickupProposalAccepted", data: { proposalId: message1, acceptedBy: alice, acceptedAt: later(1).toISOString() } }]);
    expect(state.status === "drawn" && state.pickup.phase).toBe("drawn");
  });
});

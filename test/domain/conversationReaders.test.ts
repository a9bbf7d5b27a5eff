// Whose part of the conversation each event is, and who could read it at each revision: the
// participant rule asked of the stream's fold, for the audit. Pure; time is chosen by the test.
import { describe, expect, it } from "vitest";
import { mayAuditEvent, readersOf, roundNumberOf, type EventAbout } from "../../src/domain/conversationReaders.ts";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import { foldGiveaway } from "../../src/domain/giveaway.ts";
import { alice, bob, carol, conversationRead, giver, message1, message2, messageSent, stranger } from "./fixtures.ts";
import { cancelled, drawnAmongThree, later, prizeDeclined, redrawn } from "./pickupFixtures.ts";

// 0 created, 1-3 entries, 4 draw (alice), 5 giver->alice, 6 alice declines, 7 redraw (carol),
// 8 giver->carol, 9 alice marks read (after her round), 10 cancelled
const history: GiveawayEvent[] = [
  ...drawnAmongThree(),
  messageSent(message1, giver, "alice?"),
  prizeDeclined(alice, 1),
  redrawn(carol, alice, "declined", 2),
  messageSent(message2, giver, "carol!"),
  conversationRead(alice, 8),
  cancelled(3, 24),
];
const about: EventAbout[] = [{}, { actorId: alice }, { actorId: bob }, { actorId: carol }, { actorId: giver }, { actorId: giver }, { actorId: alice }, { actorId: giver }, { actorId: giver }, { actorId: alice }, { actorId: giver }];

/** The fold including the event at `revision`. */
const stateAt = (revision: number) => foldGiveaway(history.slice(0, revision + 1).map((event, index) => ({ event, revision: index })));
const seenBy = (userId: string) => history.flatMap((_, revision) => (mayAuditEvent(stateAt(revision), revision, about[revision]!, userId, later(4)) ? [revision] : []));

describe("given a redraw, when each person audits the stream", () => {
  it("then the giver sees every event", () => expect(seenBy(giver)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  it("then the former winner sees the giveaway, her round, the redraw and her own read mark after it", () => expect(seenBy(alice)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 9]));
  it("then the new winner sees the giveaway, the redraw and his own round only", () => expect(seenBy(carol)).toEqual([0, 1, 2, 3, 4, 7, 8, 10]));
  it("then an entrant never drawn sees no part of any conversation", () => {
    expect(seenBy(bob)).toEqual([0, 1, 2, 3, 4]);
    expect(seenBy(stranger)).toEqual([0, 1, 2, 3, 4]);
  });
  it("then each event after the draw is marked with its round", () => {
    expect(history.map((_, revision) => roundNumberOf(stateAt(revision), revision, about[revision]!))).toEqual([undefined, undefined, undefined, undefined, undefined, 1, 1, 2, 2, 1, 2]);
  });
});

describe("who could read the conversation", () => {
  it("nobody before the draw; the giver and the winner from it", () => {
    expect(readersOf(stateAt(3), later(0))).toEqual([]);
    expect(readersOf(stateAt(4), later(0))).toEqual([
      { userId: giver, role: "giver", canWrite: true },
      { userId: alice, role: "winner", canWrite: true },
    ]);
  });

  it("after a redraw the former winner reads without sending; once cancelled and past the last words, nobody sends", () => {
    expect(readersOf(stateAt(7), later(2))).toEqual([
      { userId: giver, role: "giver", canWrite: true },
      { userId: alice, role: "former_winner", canWrite: false },
      { userId: carol, role: "winner", canWrite: true },
    ]);
    expect(readersOf(stateAt(10), later(4)).map((reader) => reader.canWrite)).toEqual([true, false, true]);
    expect(readersOf(stateAt(10), later(28)).map((reader) => reader.canWrite)).toEqual([false, false, false]);
  });
});

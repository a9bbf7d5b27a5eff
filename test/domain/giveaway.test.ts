import { describe, expect, it } from "vitest";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import { evolve, foldGiveaway, initialState, isParticipant } from "../../src/domain/giveaway.ts";
import { contentDigest } from "../../src/domain/messageIndex.ts";
import {
  alice,
  bob,
  conversationRead,
  created,
  drawn,
  drawnWithAliceWinning,
  entered,
  giveawayId,
  giver,
  message1,
  messageSent,
  stranger,
} from "./fixtures.ts";

const fold = (events: GiveawayEvent[]) => foldGiveaway(events.map((event, revision) => ({ event, revision })));

describe("giveaway state", () => {
  it("starts with no giveaway", () => {
    expect(initialState).toEqual({ status: "none" });
    expect(fold([])).toEqual({ status: "none" });
  });

  it("opens on creation with no entrants", () => {
    expect(fold([created()])).toEqual({ status: "open", giveawayId, giverId: giver, title: "A bike", entrants: [] });
  });

  it("keeps entrants unique and in entry order", () => {
    const state = fold([created(), entered(bob), entered(alice), entered(bob)]);
    expect(state).toMatchObject({ status: "open", entrants: [bob, alice] });
  });

  it("records the winner and opens an empty conversation at the draw", () => {
    const state = fold(drawnWithAliceWinning());
    expect(state).toMatchObject({ status: "drawn", winnerId: alice, entrants: [alice, bob], lastRead: {} });
    expect(state.status === "drawn" && state.messages.size).toBe(0);
  });

  it("remembers each message with its stream revision", () => {
    const state = fold([...drawnWithAliceWinning(), messageSent(message1, giver, "hello")]);
    if (state.status !== "drawn") throw new Error("expected drawn");
    expect(state.messages.get(message1)).toMatchObject({ senderId: giver, contentDigest: contentDigest("hello"), revision: 4 });
  });

  it("keeps read marks monotonic even if an older mark is folded late", () => {
    const state = fold([...drawnWithAliceWinning(), conversationRead(alice, 5), conversationRead(alice, 3)]);
    expect(state).toMatchObject({ lastRead: { [alice]: 5 } });
  });

  it("leaves state unchanged for events that cannot apply, without touching earlier states", () => {
    const open = fold([created()]);
    expect(evolve(open, created("Other"), 1)).toBe(open);
    expect(evolve(open, messageSent(message1, giver, "hi"), 1)).toBe(open);
    expect(evolve(initialState, entered(alice), 0)).toBe(initialState);
    const drawnState = fold(drawnWithAliceWinning());
    expect(evolve(drawnState, entered(stranger), 4)).toBe(drawnState);
    expect(evolve(drawnState, drawn(bob), 4)).toBe(drawnState);
    const withMessage = evolve(drawnState, messageSent(message1, giver, "hi"), 4);
    expect(drawnState.status === "drawn" && drawnState.messages.size).toBe(0);
    expect(evolve(withMessage, messageSent(message1, giver, "again"), 5)).toBe(withMessage);
  });
});

describe("foldGiveaway", () => {
  it("folds to the same state as evolving one event at a time", () => {
    const history = [...drawnWithAliceWinning(), messageSent(message1, giver, "hi"), conversationRead(alice, 4)];
    const stepped = history.reduce((state, event, revision) => evolve(state, event, revision), initialState);
    expect(fold(history)).toEqual(stepped);
  });
});

describe("isParticipant", () => {
  it("is true only for the giver and the winner after the draw", () => {
    const state = fold(drawnWithAliceWinning());
    expect(isParticipant(state, giver)).toBe(true);
    expect(isParticipant(state, alice)).toBe(true);
    expect(isParticipant(state, bob)).toBe(false);
    expect(isParticipant(state, stranger)).toBe(false);
  });

  it("is false for everybody before the draw", () => {
    expect(isParticipant(fold([created(), entered(alice)]), giver)).toBe(false);
    expect(isParticipant(fold([created(), entered(alice)]), alice)).toBe(false);
    expect(isParticipant(initialState, giver)).toBe(false);
  });
});

// Blocks, given / when / then: the block itself (the blocker's stream), and what it refuses in the
// giveaway's decider (a blocked user sending, entering, or being named as entrant by the platform).
import { describe, expect, it } from "vitest";
import { decideBlock, foldBlocks } from "../../src/domain/blocks.ts";
import { parseUserEvent, type UserEvent } from "../../src/domain/events.ts";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import { given } from "./decider-spec.ts";
import { alice, at, bob, carol, created, drawnWithAliceWinning, entered, giver, message1, messageSent, now } from "./fixtures.ts";

const blockedEvent = (userId: string, blockedUserId: string): UserEvent => ({ type: "UserBlocked", data: { userId, blockedUserId, blockedAt: at } });
const unblockedEvent = (userId: string, blockedUserId: string): UserEvent => ({ type: "UserUnblocked", data: { userId, blockedUserId, unblockedAt: at } });
const change = (blocked: boolean, userId = giver, blockedUserId = alice) => ({ type: "ChangeBlock", userId, blockedUserId, blocked, now }) as const;

describe("ChangeBlock", () => {
  it("blocks, and the event survives the trip through the store", () => {
    const decision = decideBlock(change(true), foldBlocks([]));
    expect(decision).toEqual({ ok: true, events: [blockedEvent(giver, alice)] });
    for (const event of decision.ok ? decision.events : []) expect(parseUserEvent(event.type, JSON.parse(JSON.stringify(event.data)))).toEqual(event);
  });

  it("is idempotent both ways", () => {
    expect(decideBlock(change(true), foldBlocks([blockedEvent(giver, alice)]))).toEqual({ ok: true, events: [] });
    expect(decideBlock(change(false), foldBlocks([]))).toEqual({ ok: true, events: [] });
    expect(decideBlock(change(false), foldBlocks([blockedEvent(giver, alice), unblockedEvent(giver, alice)]))).toEqual({ ok: true, events: [] });
  });

  it("unblocks a standing block", () => {
    expect(decideBlock(change(false), foldBlocks([blockedEvent(giver, alice)]))).toEqual({ ok: true, events: [unblockedEvent(giver, alice)] });
  });

  it("refuses blocking oneself", () => {
    expect(decideBlock(change(true, alice, alice), foldBlocks([]))).toMatchObject({ ok: false, error: { code: "cannot_block_self" } });
  });
});

const send = (senderId: string, blockedBy: string[]): GiveawayCommand => ({ type: "SendMessage", messageId: message1, senderId, content: "Hi", now, blockedBy });
const enter = (userId: string, blockedBy: string[]): GiveawayCommand => ({ type: "SubmitEntry", userId, now, blockedBy });
const addEntrant = (userId: string, blockedBy: string[]): GiveawayCommand => ({ type: "AddPlatformEntrant", userId, now, blockedBy });

describe("a blocked user sending", () => {
  it("is refused when the other participant has blocked them", () => {
    given(drawnWithAliceWinning()).when(send(alice, [giver])).then("blocked");
    given(drawnWithAliceWinning()).when(send(giver, [alice])).then("blocked");
  });

  it("still sends when only someone else blocked them, and the blocker still sends to them", () => {
    given(drawnWithAliceWinning()).when(send(alice, [carol])).then([messageSent(message1, alice, "Hi")]);
    given(drawnWithAliceWinning()).when(send(giver, [])).then([messageSent(message1, giver, "Hi")]);
  });

  it("a retry of a message stored before the block stays a retry", () => {
    given([...drawnWithAliceWinning(), messageSent(message1, alice, "Hi")]).when(send(alice, [giver])).then([]);
  });
});

describe("a blocked user entering", () => {
  it("is refused when the giver has blocked them", () => {
    given([created()]).when(enter(alice, [giver])).then("blocked");
  });

  it("enters when someone else blocked them; an entry made before the block stands", () => {
    given([created()]).when(enter(alice, [bob])).then([entered(alice)]);
    given([created(), entered(alice)]).when(enter(alice, [giver])).then([]);
  });
});

describe("a blocked user named by the platform as entrant", () => {
  it("is refused with user_blocked; an entry that stands stays", () => {
    given([created()]).when(addEntrant(alice, [giver])).then("user_blocked");
    given([created(), entered(alice)]).when(addEntrant(alice, [giver])).then([]);
    given([created()]).when(addEntrant(alice, [])).then([entered(alice)]);
  });
});

import { describe, expect, it } from "vitest";
import {
  isGiveawayEventType,
  isUserEventType,
  parseGiveawayEvent,
  parseUserEvent,
} from "../../src/domain/events.ts";
import { alice, at, giveawayId, giver, message1 } from "./fixtures.ts";

describe("giveaway event schemas", () => {
  const createdData = { giveawayId, giverId: giver, title: "A bike", description: "Blue", createdAt: at };

  it("parses every known event", () => {
    expect(parseGiveawayEvent("GiveawayCreated", createdData)).toEqual({ type: "GiveawayCreated", data: createdData });
    expect(parseGiveawayEvent("EntrySubmitted", { userId: alice, enteredAt: at }).type).toBe("EntrySubmitted");
    expect(parseGiveawayEvent("DrawConducted", { winnerId: alice, drawnAt: at }).type).toBe("DrawConducted");
    const message = { messageId: message1, senderId: giver, content: "hi\nthere", sentAt: at };
    expect(parseGiveawayEvent("MessageSent", message).data).toEqual(message);
    const read = { userId: alice, upToRevision: 0, readAt: at };
    expect(parseGiveawayEvent("ConversationRead", read).data).toEqual(read);
  });

  it("loads an old GiveawayCreated written before description existed", () => {
    const { description, ...old } = createdData;
    expect(parseGiveawayEvent("GiveawayCreated", old).data).toEqual({ ...old, description: "" });
  });

  it("trims the title", () => {
    const event = parseGiveawayEvent("GiveawayCreated", { ...createdData, title: "  A bike  " });
    expect(event.data).toMatchObject({ title: "A bike" });
  });

  it.each([
    ["a non-uuid giveaway id", { ...createdData, giveawayId: "42" }],
    ["a blank title", { ...createdData, title: "   " }],
    ["a 121-character title", { ...createdData, title: "x".repeat(121) }],
    ["a 2001-character description", { ...createdData, description: "x".repeat(2001) }],
    ["a date that is not ISO", { ...createdData, createdAt: "yesterday" }],
    ["a missing giver", { giveawayId, title: "A bike", createdAt: at }],
    ["no object at all", null],
  ])("rejects GiveawayCreated with %s", (_, data) => {
    expect(() => parseGiveawayEvent("GiveawayCreated", data)).toThrow(/invalid GiveawayCreated/);
  });

  it.each([
    ["EntrySubmitted", { userId: "alice", enteredAt: at }],
    ["DrawConducted", { winnerId: alice }],
    ["MessageSent", { messageId: message1, senderId: giver, content: "", sentAt: at }],
    ["MessageSent", { messageId: message1, senderId: giver, content: "x".repeat(2001), sentAt: at }],
    ["ConversationRead", { userId: alice, upToRevision: -1, readAt: at }],
    ["ConversationRead", { userId: alice, upToRevision: 1.5, readAt: at }],
  ])("rejects a bad %s", (type, data) => {
    expect(() => parseGiveawayEvent(type, data)).toThrow(new RegExp(`invalid ${type}`));
  });

  it("rejects an unknown type", () => {
    expect(() => parseGiveawayEvent("GiveawayDeleted", {})).toThrow(/unknown giveaway event type/);
    expect(isGiveawayEventType("MessageSent")).toBe(true);
    expect(isGiveawayEventType("UserRegistered")).toBe(false);
    expect(isGiveawayEventType("toString")).toBe(false);
  });
});

describe("user event schemas", () => {
  const registered = { userId: alice, username: "Alice", passwordHash: "scrypt$abc", registeredAt: at };

  it("parses both user events", () => {
    expect(parseUserEvent("UserRegistered", registered)).toEqual({ type: "UserRegistered", data: registered });
    const reserved = { userId: alice, username: "Alice" };
    expect(parseUserEvent("UsernameReserved", reserved)).toEqual({ type: "UsernameReserved", data: reserved });
  });

  it("rejects bad payloads and unknown types", () => {
    expect(() => parseUserEvent("UserRegistered", { ...registered, passwordHash: "" })).toThrow(/invalid UserRegistered/);
    expect(() => parseUserEvent("UsernameReserved", { userId: "x", username: "Alice" })).toThrow(/invalid/);
    expect(() => parseUserEvent("GiveawayCreated", {})).toThrow(/unknown user event type/);
    expect(isUserEventType("UsernameReserved")).toBe(true);
    expect(isUserEventType("MessageSent")).toBe(false);
  });
});

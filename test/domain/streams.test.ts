import { describe, expect, it } from "vitest";
import {
  giveawayIdFromStream,
  giveawayStream,
  streamOfUserEvent,
  userStream,
  usernameStream,
} from "../../src/domain/streams.ts";
import { alice, at, giveawayId } from "./fixtures.ts";

describe("stream names", () => {
  it("names one stream per giveaway and per user", () => {
    expect(giveawayStream(giveawayId)).toBe(`giveaway-${giveawayId}`);
    expect(userStream(alice)).toBe(`user-${alice}`);
  });

  it("lower-cases the username stream so names are unique ignoring case", () => {
    expect(usernameStream("Alice_01")).toBe("username-alice_01");
    expect(usernameStream("ALICE_01")).toBe(usernameStream("alice_01"));
  });

  it("reads the giveaway id back from a giveaway stream only", () => {
    expect(giveawayIdFromStream(giveawayStream(giveawayId))).toBe(giveawayId);
    expect(giveawayIdFromStream(userStream(alice))).toBeUndefined();
  });

  it("routes each user event to its stream", () => {
    expect(streamOfUserEvent({ type: "UsernameReserved", data: { userId: alice, username: "Alice" } })).toBe(
      "username-alice",
    );
    const registered = { userId: alice, username: "Alice", passwordHash: "h", registeredAt: at };
    expect(streamOfUserEvent({ type: "UserRegistered", data: registered })).toBe(`user-${alice}`);
  });
});

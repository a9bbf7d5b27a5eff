// The signed tokens e-mails carry: each purpose round-trips, and a token of another purpose, a changed
// byte, another secret or an expired one is refused.
import { describe, expect, it } from "vitest";
import { createMailTokens, mailTokenLifetimeMs } from "../../src/mail/mailTokens.ts";

const userId = "bbbbbbbb-0000-4000-8000-000000000001";
const giveawayId = "9b2f1a57-3a1e-4b8e-8f5e-2d1c0b9a8e7f";
const now = new Date("2026-12-05T10:00:00.000Z");
const tokens = createMailTokens("test-secret-test-secret-0123456789");

describe("mail tokens", () => {
  it("each purpose round-trips what it names, and says when it expires", () => {
    const reply = tokens.sign({ purpose: "reply", userId, giveawayId }, now);
    expect(tokens.check(reply, "reply", now)).toEqual({ purpose: "reply", userId, giveawayId, expiresAt: new Date(now.getTime() + mailTokenLifetimeMs.reply) });
    const verify = tokens.sign({ purpose: "verify", userId, address: "bob@example.invalid" }, now);
    expect(tokens.check(verify, "verify", now)).toMatchObject({ userId, address: "bob@example.invalid" });
    const unsubscribe = tokens.sign({ purpose: "unsubscribe", userId }, now);
    expect(tokens.check(unsubscribe, "unsubscribe", now)).toMatchObject({ purpose: "unsubscribe", userId });
  });

  it("a reply token is lower-case hex, and survives a mail system that changes its case", () => {
    const reply = tokens.sign({ purpose: "reply", userId, giveawayId }, now);
    expect(reply).toMatch(/^[0-9a-f]+$/);
    expect(tokens.check(reply.toUpperCase(), "reply", now)).toMatchObject({ giveawayId });
  });

  it("refuses a token of another purpose, a changed byte, another secret, an expired token and junk", () => {
    const unsubscribe = tokens.sign({ purpose: "unsubscribe", userId }, now);
    expect(tokens.check(unsubscribe, "reply", now)).toBeUndefined();
    const reply = tokens.sign({ purpose: "reply", userId, giveawayId }, now);
    const flipped = `${reply.slice(0, 20)}${reply[20] === "0" ? "1" : "0"}${reply.slice(21)}`;
    expect(tokens.check(flipped, "reply", now)).toBeUndefined();
    expect(createMailTokens("another-secret-another-secret-0123").check(reply, "reply", now)).toBeUndefined();
    expect(tokens.check(reply, "reply", new Date(now.getTime() + mailTokenLifetimeMs.reply + 1000))).toBeUndefined();
    for (const junk of ["", "zz", "0".repeat(94), "a".repeat(5000), reply.slice(0, -2)]) expect(tokens.check(junk, "reply", now)).toBeUndefined();
  });
});

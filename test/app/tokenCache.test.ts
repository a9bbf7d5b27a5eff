// A token's signature is checked once, not on every request (issue #12's write path); its expiry
// and its session are still checked on every use. Counted (calls to jsonwebtoken), never timed.
import jwt from "jsonwebtoken";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTokenService } from "../../src/app/tokens.ts";

const secret = "token-cache-secret-token-cache-secret";
const user = { id: "7f1c2a4e-5b6d-4e8f-9a0b-1c2d3e4f5a6b", username: "ann" };

function setUp() {
  let clock = Date.parse("2026-11-25T12:00:00.000Z");
  const ended = new Set<string>();
  const tokens = createTokenService(secret, { hasEnded: (identity) => ended.has(identity.sessionId), isSuspended: () => false }, () => clock);
  const issue = (sessionId: string, lifetimeMs = 3_600_000) =>
    tokens.issue(user, { sessionId, startedAt: new Date(clock), expiresAt: new Date(clock + lifetimeMs) }).token;
  return { tokens, issue, ended, advance: (ms: number) => (clock += ms) };
}

afterEach(() => vi.restoreAllMocks());

describe("verified tokens", () => {
  it("check a token's signature once for many requests, and each new token once", () => {
    const { tokens, issue } = setUp();
    const verify = vi.spyOn(jwt, "verify");
    const first = issue("s1");
    for (let i = 0; i < 5; i++) expect(tokens.verify(first)?.userId).toBe(user.id);
    expect(verify).toHaveBeenCalledTimes(1);
    const second = issue("s2");
    for (let i = 0; i < 3; i++) expect(tokens.verify(second)?.sessionId).toBe("s2");
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it("stop working the moment their session ends, though the signature was checked before", () => {
    const { tokens, issue, ended } = setUp();
    const token = issue("s1");
    expect(tokens.verify(token)).toBeDefined();
    ended.add("s1");
    expect(tokens.verify(token)).toBeUndefined();
  });

  it("stop working once expired, though remembered for longer", () => {
    const { tokens, issue, advance } = setUp();
    const token = issue("s1", 10_000);
    expect(tokens.verify(token)).toBeDefined();
    advance(9_000);
    expect(tokens.verify(token)).toBeDefined();
    advance(1_000);
    expect(tokens.verify(token)).toBeUndefined();
  });

  it("are checked again after a minute, and a forged one every time", () => {
    const { tokens, issue, advance } = setUp();
    const verify = vi.spyOn(jwt, "verify");
    const token = issue("s1");
    tokens.verify(token);
    advance(60_001);
    expect(tokens.verify(token)).toBeDefined();
    expect(verify).toHaveBeenCalledTimes(2);
    const [header, payload, signature] = token.split(".");
    const forged = `${header}.${payload}.${signature!.slice(0, -2)}${signature!.endsWith("AA") ? "BB" : "AA"}`;
    expect(tokens.verify(forged)).toBeUndefined();
    expect(tokens.verify(forged)).toBeUndefined();
    expect(verify).toHaveBeenCalledTimes(4);
  });
});

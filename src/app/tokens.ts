// Signed identity: HS256 JWTs with the algorithm, issuer and audience pinned and expiry checked.
// Every token names the session it was issued for (SessionStarted in the user's stream); a session
// that has ended (SessionEnded, AllSessionsEnded, seen by the sessions read model) ends its tokens.
import { createSecretKey } from "node:crypto";
import jwt from "jsonwebtoken";
import { z } from "zod";

/** handoff's own tokens name this issuer; any other signed token may be the platform's. */
export const handoffTokenIssuer = "handoff";
const issuer = handoffTokenIssuer;
const audience = "handoff";

const ClaimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  exp: z.number(),
  /** The session; a token without one (issued before sessions) is no longer accepted. */
  sid: z.string().min(1),
  /** When the session started (ms), so "sign out everywhere" ends exactly those before it. */
  sat: z.number(),
});

export interface Identity {
  userId: string;
  username: string;
  /** When the token stops being valid; streams opened with it end then. */
  expiresAt: Date;
  sessionId: string;
  sessionStartedAt: Date;
}

export interface SessionLedger {
  /** True once the session has ended (signed out, or every session of the user ended after it started). */
  hasEnded(identity: Pick<Identity, "userId" | "sessionId" | "sessionStartedAt">): boolean;
  /** True while a moderator's suspension of the user holds (the suspensions read model). */
  isSuspended(userId: string): boolean;
}

export interface TokenService {
  issue(user: { id: string; username: string }, session: { sessionId: string; startedAt: Date; expiresAt: Date }): { token: string; expiresAt: Date };
  /** The identity, or undefined for a missing, malformed, forged, expired or signed-out token (or a suspended user's). */
  verify(token: string): Identity | undefined;
  /** As verify, saying why not: a suspended user's token, signed out or not, is "suspended" (403, not 401). */
  check(token: string): Identity | "invalid" | "suspended";
  /** Whether a moderator's suspension of the user holds: no token is issued to them meanwhile. */
  isSuspended(userId: string): boolean;
}

/** Verified tokens remembered (the signature and claims, never the session check) and for how long. */
const verifiedCacheSize = 10_000;
const verifiedCacheMs = 60_000;

export function createTokenService(secret: string, sessions: SessionLedger, now: () => number = Date.now): TokenService {
  // Made once: given a string, jsonwebtoken first tries to parse it as a PEM key on every call,
  // which costs ~0.4 ms of CPU per request (bench: 369 µs vs 9 µs per verify).
  const key = createSecretKey(Buffer.from(secret));
  // A client sends the same token on every request: its HMAC and claims are checked once a minute,
  // not each time (docs/profiles/write-path.md). Only a token that verified is remembered, by its
  // exact text; expiry is still checked on every use, and whether its session has ended is never
  // remembered, so signing out ends it at once.
  const verified = new Map<string, { identity: Identity; until: number }>();
  const checkSignature = (token: string): Identity => {
    const cached = verified.get(token);
    if (cached && cached.until > now()) return cached.identity;
    const claims = ClaimsSchema.parse(jwt.verify(token, key, { algorithms: ["HS256"], issuer, audience, clockTimestamp: Math.floor(now() / 1000) }));
    const identity = { userId: claims.sub, username: claims.name, expiresAt: new Date(claims.exp * 1000), sessionId: claims.sid, sessionStartedAt: new Date(claims.sat) };
    verified.delete(token);
    if (verified.size >= verifiedCacheSize) verified.delete(verified.keys().next().value!); // the oldest
    verified.set(token, { identity, until: now() + verifiedCacheMs });
    return identity;
  };
  const check = (token: string): Identity | "invalid" | "suspended" => {
    if (token.length > 4096) return "invalid";
    let identity: Identity;
    try {
      identity = checkSignature(token);
    } catch {
      return "invalid";
    }
    // As jsonwebtoken does: expired once the clock reaches exp (seconds).
    if (Math.floor(now() / 1000) >= identity.expiresAt.getTime() / 1000) return "invalid";
    // Before the session: a suspension also ended every session, and the answer must say suspended.
    if (sessions.isSuspended(identity.userId)) return "suspended";
    return sessions.hasEnded(identity) ? "invalid" : identity;
  };
  return {
    issue(user, session) {
      const exp = Math.floor(session.expiresAt.getTime() / 1000);
      const claims = { name: user.username, sid: session.sessionId, sat: session.startedAt.getTime(), exp };
      const token = jwt.sign(claims, key, { algorithm: "HS256", subject: user.id, issuer, audience });
      return { token, expiresAt: new Date(exp * 1000) };
    },
    isSuspended: (userId) => sessions.isSuspended(userId),
    verify(token) {
      const checked = check(token);
      return typeof checked === "string" ? undefined : checked;
    },
    check,
  };
}

// The platform's sign-in: a token it signed is checked (platformTokens.ts), its user recorded
// (platformUsers.ts), and it then works wherever handoff's own token does. Used as a Bearer token,
// the platform token is its own session: sign-out ends it, and "sign out everywhere" ends every
// token issued before it.
import { v5 as uuidV5 } from "uuid";
import { PlatformTokenError, type PlatformClaims, type PlatformTokenVerifier } from "./platformTokens.ts";
import type { PlatformUser, PlatformUsers } from "./platformUsers.ts";
import type { Identity, SessionLedger } from "./tokens.ts";
import { untilReadModelShows } from "../projections/untilReadModelShows.ts";

export interface PlatformSignIn {
  /** Unverified: whether a Bearer token is the platform's to check (any JWT not issued by handoff). */
  isPlatformCandidate(token: string): boolean;
  /** The checked claims; throws PlatformTokenError. */
  verify(token: string): Promise<PlatformClaims>;
  /** The user a checked token speaks for, their profile recorded when new or changed. */
  userOf(claims: PlatformClaims, correlationId: string): Promise<PlatformUser>;
  /** A Bearer token's identity, or "suspended" for a suspended user's (tokens.ts says why first); throws PlatformTokenError. */
  identify(token: string, correlationId: string): Promise<Identity | "suspended">;
}

/** Names a platform token's own session by its digest, as a UUID like every session id. */
const tokenSessionNamespace = "0d7c5f4e-9b2a-5c1d-8e3f-4a5b6c7d8e9f";

/**
 * `readModelsReached(position)`: whether the read models have applied the log up to there. A sign-in
 * that recorded a new profile waits for it (briefly), so the request it came with already sees the
 * new name and roles (a moderator's first request is let in).
 */
export function createPlatformSignIn(verifier: PlatformTokenVerifier, users: PlatformUsers, sessions: SessionLedger, readModelsReached: (position: bigint) => boolean): PlatformSignIn {
  const userOf = async (claims: PlatformClaims, correlationId: string) => {
    const { name, picture, email, roles } = claims;
    const user = await users.signIn(claims.sub, { name, picture, email, roles }, correlationId);
    const { recordedAt } = user;
    if (recordedAt !== undefined) await untilReadModelShows(() => readModelsReached(recordedAt));
    return user;
  };
  return {
    isPlatformCandidate: (token) => verifier.isPlatformCandidate(token),
    verify: (token) => verifier.verify(token),
    userOf,
    async identify(token, correlationId) {
      const claims = await verifier.verify(token);
      const user = await userOf(claims, correlationId);
      const identity: Identity = {
        userId: user.id,
        username: user.username,
        expiresAt: claims.expiresAt,
        sessionId: uuidV5(claims.digest, tokenSessionNamespace),
        sessionStartedAt: new Date((claims.issuedAt ?? 0) * 1000),
      };
      if (sessions.isSuspended(identity.userId)) return "suspended";
      if (sessions.hasEnded(identity)) throw new PlatformTokenError("invalid_token", "this token's session has ended: get a new token from the platform");
      return identity;
    },
  };
}

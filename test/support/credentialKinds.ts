// Every kind of credentials a request can carry, for the fuzz test and the authorization matrix:
// none, malformed, signed with another secret, `alg: none`, expired, revoked (signed out), and the
// real tokens of the people around one drawn giveaway (a stranger, the losing entrant, giver, winner).
import jwt from "jsonwebtoken";
import request from "supertest";
import { expect } from "vitest";
import { password, tokenFor, type SignedInUser } from "../http/apiFixtures.ts";
import type { TestServer } from "./testServer.ts";

export const forgedKinds = ["malformed", "foreign", "algNone", "expired", "revoked"] as const;
export const personKinds = ["stranger", "loser", "giver", "winner"] as const;
export const credentialKinds = ["none", ...forgedKinds, ...personKinds] as const;
export type CredentialKind = (typeof credentialKinds)[number];
export type PersonKind = (typeof personKinds)[number];

/** The token each kind sends (none: no credentials at all). */
export type CredentialTokens = Record<Exclude<CredentialKind, "none">, string>;

/** A fresh sign-in of `user` over the API: a second session, the first one left as it is. */
export async function signInAgain(server: TestServer, user: Pick<SignedInUser, "username">): Promise<string> {
  const signedIn = await request(server.url).post("/api/tokens").send({ username: user.username, password });
  expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(201);
  return signedIn.body.token as string;
}

/** Forged and dead tokens, all naming `victim` (so only the signature, algorithm, expiry or session is wrong). */
export async function forgedTokens(server: TestServer, victim: SignedInUser): Promise<Record<(typeof forgedKinds)[number], string>> {
  const secret = server.handoff.config.jwtSecret!;
  const user = { id: victim.id, username: victim.username };
  const real = jwt.decode(victim.token) as Record<string, unknown>;
  const revoked = await signInAgain(server, victim);
  const signedOut = await request(server.url).delete("/api/tokens/current").set("Authorization", `Bearer ${revoked}`);
  expect(signedOut.status).toBe(204);
  return {
    malformed: "not.a.jwt",
    foreign: tokenFor("another-secret-another-secret-0000", user).token,
    // The real token's claims, unsigned: a verifier that trusted the header would let it in.
    algNone: jwt.sign({ ...real }, "", { algorithm: "none" } as jwt.SignOptions),
    expired: tokenFor(secret, user, -60).token,
    revoked,
  };
}

/** How a kind's token travels: as a Bearer token (API) or the session cookie (pages and the page streams). */
export function credentialHeaders(token: string | undefined, via: "bearer" | "cookie"): Record<string, string> {
  if (token === undefined) return {};
  return via === "bearer" ? { Authorization: `Bearer ${token}` } : { Cookie: `handoff_session=${token}` };
}

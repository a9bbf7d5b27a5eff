// Tokens the platform signs for its users (RS256, ES256 or EdDSA), checked with jose against the
// platform's keys, issuer and audience. Each refusal has its own code, so the platform's developers
// can tell an expired token from a wrong audience; a token whose key cannot be had is "try again".
import { createHash } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from "jose";
import { z } from "zod";
import type { PlatformConfig } from "../config.ts";
import { PlatformSubjectSchema } from "../domain/platformIds.ts";
import { handoffTokenIssuer } from "./tokens.ts";
import { KeysUnavailable, platformKeys, type PlatformKeyLookup } from "./platformKeys.ts";

export const platformAlgorithms = ["RS256", "ES256", "EdDSA"] as const;

/** Longer names are cut to this, as the pages show them. */
export const platformNameMaxLength = 64;

export type PlatformTokenErrorCode =
  | "token_expired"
  | "token_not_yet_valid"
  | "wrong_issuer"
  | "wrong_audience"
  | "alg_not_allowed"
  | "unknown_key"
  | "bad_signature"
  | "invalid_claims"
  | "invalid_token"
  | "platform_keys_unavailable";

export class PlatformTokenError extends Error {
  constructor(
    readonly code: PlatformTokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "PlatformTokenError";
  }
}

const ClaimsSchema = z.object({
  sub: PlatformSubjectSchema,
  name: z
    .string()
    .trim()
    .min(1)
    .transform((name) => [...name].slice(0, platformNameMaxLength).join("")),
  picture: z.url({ protocol: /^https?$/ }).max(2000).optional().catch(undefined),
  email: z.email().max(320).optional().catch(undefined),
  roles: z.array(z.string().max(64)).max(50).optional().catch(undefined),
  jti: z.string().min(1).max(255).optional(),
  iat: z.number().optional(),
  exp: z.number(),
});

export interface PlatformClaims {
  sub: string;
  name: string;
  picture: string | undefined;
  email: string | undefined;
  roles: string[];
  /** Only one-time links (/sso, /embed) need it. */
  jti: string | undefined;
  /** When the platform issued it (s); undefined counts as long ago. */
  issuedAt: number | undefined;
  expiresAt: Date;
  /** SHA-256 of the token's text: names it without keeping it. */
  digest: string;
}

export interface PlatformTokenVerifier {
  /** True for a JWT that is not handoff's own (unverified: only to choose who checks it). */
  isPlatformCandidate(token: string): boolean;
  /** The token's claims once checked; else throws PlatformTokenError. */
  verify(token: string): Promise<PlatformClaims>;
}

export function createPlatformTokenVerifier(config: PlatformConfig, now: () => number = Date.now, keys: PlatformKeyLookup = platformKeys(config.keys, now)): PlatformTokenVerifier {
  return {
    isPlatformCandidate(token) {
      try {
        return decodeJwt(token).iss !== handoffTokenIssuer;
      } catch {
        return false; // not a JWT at all: handoff's own check refuses it as it always did
      }
    },
    async verify(token) {
      if (token.length > 16_384) throw new PlatformTokenError("invalid_token", "the token is too long");
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        throw new PlatformTokenError("invalid_token", "the token is not a signed JWT");
      }
      // Refused before any key is looked at: "none", and HS256 "signed" with the platform's public key.
      if (!(platformAlgorithms as readonly string[]).includes(alg ?? "")) {
        throw new PlatformTokenError("alg_not_allowed", `the token's algorithm must be one of ${platformAlgorithms.join(", ")}`);
      }
      try {
        const { payload } = await jwtVerify(token, keys, {
          algorithms: [...platformAlgorithms],
          issuer: config.issuer,
          audience: config.audience,
          requiredClaims: ["exp", "sub"],
          currentDate: new Date(now()),
          clockTolerance: 30,
        });
        const claims = ClaimsSchema.safeParse(payload);
        if (!claims.success) throw new PlatformTokenError("invalid_claims", "the token must carry sub and name (and exp)");
        const { sub, name, picture, email, roles, jti, iat, exp } = claims.data;
        const digest = createHash("sha256").update(token).digest("hex");
        return { sub, name, picture, email, roles: roles ?? [], jti, issuedAt: iat, expiresAt: new Date(exp * 1000), digest };
      } catch (error) {
        throw refusalOf(error);
      }
    },
  };
}

function refusalOf(error: unknown): PlatformTokenError {
  if (error instanceof PlatformTokenError) return error;
  if (error instanceof KeysUnavailable) return new PlatformTokenError("platform_keys_unavailable", `${error.message}; try again shortly`);
  if (error instanceof errors.JWTExpired) return new PlatformTokenError("token_expired", "the platform token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case "nbf":
      case "iat":
        return new PlatformTokenError("token_not_yet_valid", "the platform token is not valid yet");
      case "iss":
        return new PlatformTokenError("wrong_issuer", "the token was issued by someone else");
      case "aud":
        return new PlatformTokenError("wrong_audience", "the token is meant for another audience");
      default:
        return new PlatformTokenError("invalid_claims", `the token's "${error.claim}" claim is missing or wrong`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new PlatformTokenError("alg_not_allowed", "the token's algorithm does not fit the platform's key");
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new PlatformTokenError("unknown_key", "the token names a key the platform does not publish");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new PlatformTokenError("bad_signature", "the token's signature does not verify");
  return new PlatformTokenError("invalid_token", "the token is malformed");
}

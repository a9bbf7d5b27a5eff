// The platform's public keys: one PEM, or its JWKS fetched with a timeout and cached. An unknown
// `kid` (the platform rotated its key) refetches at most once a minute; the last good keys keep
// working while the JWKS endpoint is down, and a fresh copy is fetched in the background every ten
// minutes, so a key the platform withdrew stops working soon after.
import { createPublicKey, type KeyObject } from "node:crypto";
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTHeaderParameters } from "jose";
import { z } from "zod";
import type { PlatformConfig } from "../config.ts";

/** The key that checks a token with this header, or a thrown jose error (JWKSNoMatchingKey) / KeysUnavailable. */
export type PlatformKeyLookup = (header: JWTHeaderParameters) => Promise<KeyObject | CryptoKey>;

/** No keys could be had: nothing was ever fetched, or the unknown kid's refetch failed. */
export class KeysUnavailable extends Error {}

const refetchUnknownKidAfterMs = 60_000;
const refreshAfterMs = 10 * 60_000;
/** A JWKS is a few keys; anything much larger is not one. */
const maxJwksBytes = 256 * 1024;

const JwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string() })).max(100) });

export function platformKeys(keys: PlatformConfig["keys"], now: () => number = Date.now): PlatformKeyLookup {
  if (keys.kind === "pem") {
    const key = createPublicKey(keys.pem);
    return async () => key;
  }
  return remoteKeySet(keys.url, keys.timeoutMs, now);
}

function remoteKeySet(url: string, timeoutMs: number, now: () => number): PlatformKeyLookup {
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = -Infinity;
  let attemptedAt = -Infinity;
  /** Why the last fetch failed, while it is the newest word on the keys. */
  let lastFailure: unknown;
  let inFlight: Promise<void> | undefined;

  const refetch = (): Promise<void> => {
    inFlight ??= (async () => {
      attemptedAt = now();
      try {
        local = createLocalJWKSet(await fetchJwks(url, timeoutMs));
        fetchedAt = now();
        lastFailure = undefined;
      } catch (error) {
        lastFailure = error;
        throw error;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
  const unavailable = (error: unknown) => new KeysUnavailable(`the platform's keys could not be fetched: ${describe(error)}`);

  return async (header) => {
    if (!local) {
      // Never had keys: one attempt per request, and none while another is under way.
      await refetch().catch((error: unknown) => {
        throw unavailable(error);
      });
    } else if (now() - fetchedAt > refreshAfterMs && now() - attemptedAt > refetchUnknownKidAfterMs) {
      refetch().catch(() => {}); // the last good keys serve meanwhile
    }
    try {
      return await local!(header);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // A kid we have not seen: the platform may have rotated its key. Fetched at most once a minute;
      // while the JWKS cannot be fetched, such a token cannot be checked at all (503, not "unknown").
      if (inFlight || now() - attemptedAt >= refetchUnknownKidAfterMs) {
        await refetch().catch((fetchError: unknown) => {
          throw unavailable(fetchError);
        });
        return local!(header);
      }
      if (lastFailure !== undefined) throw unavailable(lastFailure);
      throw error;
    }
  };
}

async function fetchJwks(url: string, timeoutMs: number): Promise<JSONWebKeySet> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "error", headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return JwksSchema.parse(JSON.parse(await boundedText(response, maxJwksBytes))) as JSONWebKeySet;
}

/** The body as text, read no further than `limit` bytes: a JWKS endpoint that sends more is not one. */
async function boundedText(response: Response, limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early cancels the rest of the body.
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > limit) break;
    chunks.push(chunk);
  }
  if (size > limit) throw new Error("the JWKS is too large");
  return Buffer.concat(chunks).toString("utf8");
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : "unknown error";
}

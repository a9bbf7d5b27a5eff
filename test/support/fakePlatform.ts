// A stand-in for the giveaway platform: a real HTTP server on a loopback port that serves its JWKS
// and signs tokens for its users. It can rotate its key and go down, as the real one may.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

export type PlatformAlgorithm = "RS256" | "ES256" | "EdDSA";

interface SigningKey {
  kid: string;
  alg: PlatformAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
  spki: string;
}

export interface PlatformTokenOptions {
  sub: string;
  name?: string;
  picture?: string;
  email?: string;
  roles?: string[];
  /** A one-time link's id; `null` leaves it out. Default: a fresh UUID. */
  jti?: string | null;
  /** Seconds from now. Default 300. */
  expiresIn?: number;
  /** Seconds from now the token becomes valid (nbf). */
  notBefore?: number;
  issuer?: string;
  audience?: string;
  /** Sign with this key instead of the current one (e.g. an old, rotated-out key). */
  key?: SigningKey;
  /** Claims to add or override as they are. */
  extra?: Record<string, unknown>;
}

export interface FakePlatform {
  url: string;
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** The environment handoff needs to accept this platform's tokens. */
  env: Record<string, string>;
  current: SigningKey;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  sign(options: PlatformTokenOptions): Promise<string>;
  /** A new current key; the JWKS then lists only it (the old one is withdrawn) unless `keepOld`. */
  rotate(options?: { keepOld?: boolean; alg?: PlatformAlgorithm }): Promise<SigningKey>;
  /** The JWKS endpoint answers 503 until `up()`. */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function makeSigningKey(alg: PlatformAlgorithm = "RS256"): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" && { crv: "Ed25519" }) });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicJwk, spki: await exportSPKI(publicKey) };
}

export async function startFakePlatform(options: { alg?: PlatformAlgorithm; issuer?: string; audience?: string } = {}): Promise<FakePlatform> {
  let keys = [await makeSigningKey(options.alg)];
  let isDown = false;
  let fetches = 0;
  const server = http.createServer((req, res) => {
    if (req.url === "/.well-known/jwks.json") {
      fetches++;
      if (isDown) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = options.issuer ?? `${url}/`;
  const audience = options.audience ?? "handoff-test";
  const jwksUrl = `${url}/.well-known/jwks.json`;
  const platform: FakePlatform = {
    url,
    jwksUrl,
    issuer,
    audience,
    env: { PLATFORM_JWKS_URL: jwksUrl, PLATFORM_ISSUER: issuer, PLATFORM_AUDIENCE: audience },
    get current() {
      return keys.at(-1)!;
    },
    jwksFetches: () => fetches,
    async sign(token) {
      const key = token.key ?? platform.current;
      const nowSeconds = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {
        name: token.name ?? token.sub,
        ...(token.picture !== undefined && { picture: token.picture }),
        ...(token.email !== undefined && { email: token.email }),
        ...(token.roles !== undefined && { roles: token.roles }),
        ...(token.jti !== null && { jti: token.jti ?? randomUUID() }),
        ...(token.notBefore !== undefined && { nbf: nowSeconds + token.notBefore }),
        ...token.extra,
      };
      return new SignJWT(claims)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT" })
        .setSubject(token.sub)
        .setIssuer(token.issuer ?? issuer)
        .setAudience(token.audience ?? audience)
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + (token.expiresIn ?? 300))
        .sign(key.privateKey);
    },
    async rotate(rotation = {}) {
      const next = await makeSigningKey(rotation.alg ?? platform.current.alg);
      keys = rotation.keepOld ? [...keys, next] : [next];
      return next;
    },
    down() {
      isDown = true;
    },
    up() {
      isDown = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return platform;
}

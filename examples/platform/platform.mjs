#!/usr/bin/env node
// A tiny stand-in for the giveaway platform, to try handoff's platform integration by hand
// (README.md beside this file says how). Two commands:
//   serve  holds the platform's ES256 key pair (made once, kept in PLATFORM_KEY_FILE), serves its
//          JWKS on a loopback port and prints the environment handoff needs to trust it;
//   push   with a service key, pushes a giveaway with two entrants through a draw under
//          /api/platform, then prints the one-time /sso links for the giver and the winner.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { exportJWK, generateKeyPair, importJWK, SignJWT } from "jose";

const env = process.env;
const keyFile = env.PLATFORM_KEY_FILE ?? fileURLToPath(new URL("platform-key.json", import.meta.url));
const issuer = env.PLATFORM_ISSUER ?? "example-platform";
const audience = env.PLATFORM_AUDIENCE ?? "handoff";

async function loadOrMakeKey() {
  if (existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, "utf8"));
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = randomUUID();
  const key = { kid, private: await exportJWK(privateKey), public: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" } };
  writeFileSync(keyFile, JSON.stringify(key, null, 2), { mode: 0o600 });
  return key;
}

async function serve() {
  const key = await loadOrMakeKey();
  const jwks = JSON.stringify({ keys: [key.public] });
  const server = createServer((req, res) => {
    if (req.url !== "/.well-known/jwks.json") return res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": "application/json" }).end(jwks);
  });
  server.listen(Number(env.PLATFORM_PORT ?? 4000), "127.0.0.1", () => {
    const jwksUrl = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`;
    console.log(`The platform serves its public key (kid ${key.kid}) at ${jwksUrl}`);
    console.log("Start handoff beside it, in another terminal:\n");
    console.log(`  PLATFORM_JWKS_URL=${jwksUrl} PLATFORM_ISSUER=${issuer} PLATFORM_AUDIENCE=${audience} npm start\n`);
  });
}

/** A one-time sign-in token for a platform user: 10 minutes, a fresh jti. */
async function signToken(key, sub, name) {
  return new SignJWT({ name })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
    .setSubject(sub)
    .setJti(randomUUID())
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(await importJWK(key.private, "ES256"));
}

async function push() {
  if (!existsSync(keyFile)) throw new Error(`no key at ${keyFile}: run "node examples/platform/platform.mjs serve" first`);
  if (!env.HANDOFF_SERVICE_KEY) throw new Error('set HANDOFF_SERVICE_KEY (from "npm run service-keys -- create <name>")');
  const key = JSON.parse(readFileSync(keyFile, "utf8"));
  const handoff = (env.HANDOFF_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");
  const giveaway = env.GIVEAWAY_ID ?? "blue-bike";
  // Each change names the platform's own event as its Idempotency-Key: running push again is a retry.
  const call = async (method, path, eventId, body) => {
    const response = await fetch(`${handoff}/api/platform/giveaways/${giveaway}${path}`, {
      method,
      headers: { Authorization: `Bearer ${env.HANDOFF_SERVICE_KEY}`, "Content-Type": "application/json", "Idempotency-Key": `${giveaway}.${eventId}` },
      body: body && JSON.stringify(body),
    }).catch((error) => {
      throw new Error(`could not reach handoff at ${handoff}: ${error.cause?.code ?? error.message}`);
    });
    const text = await response.text();
    console.log(`${method} /api/platform/giveaways/${giveaway}${path} -> ${response.status}`);
    if (!response.ok) throw new Error(`handoff refused it: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const { id } = await call("PUT", "", "created", { title: "Blue bike", description: "Needs a new chain", giverId: "ann" });
  await call("PUT", "/entrants/bob", "entered-bob");
  await call("PUT", "/entrants/cy", "entered-cy");
  await call("POST", "/draw", "drawn", { winnerId: "bob" });
  const next = encodeURIComponent(`/messages/${id}`);
  console.log("\nOpen the chat (each link works once, for 10 minutes; use two browsers or a private window):");
  console.log(`  Ann, the giver:  ${handoff}/sso?token=${await signToken(key, "ann", "Ann")}&next=${next}`);
  console.log(`  Bob, the winner: ${handoff}/sso?token=${await signToken(key, "bob", "Bob")}&next=${next}`);
}

const commands = { serve, push };
const command = commands[process.argv[2]];
if (!command) {
  console.error("usage: node examples/platform/platform.mjs serve|push");
  process.exit(2);
}
command().catch((error) => {
  console.error(error.message);
  process.exit(1);
});

// The platform's sign-in: tokens it signs work wherever handoff's own do, each refusal has its own
// code, its keys are fetched, cached, refetched on rotation and kept while its JWKS is down.
import jwt from "jsonwebtoken";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformUserId } from "../../src/domain/platformIds.ts";
import { userStream } from "../../src/domain/streams.ts";
import { storeUserNames } from "../../src/audit/userNames.ts";
import { startFakePlatform, type FakePlatform } from "../support/fakePlatform.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { connectSse } from "../support/sseClient.ts";

/** The server's clock: real time plus what a test moves it by (the key refetch waits a minute). */
let clockOffsetMs = 0;
const clock = () => new Date(Date.now() + clockOffsetMs);

let platform: FakePlatform;
let server: TestServer;

beforeAll(async () => {
  platform = await startFakePlatform();
  server = await startTestServer({ env: platform.env, overrides: { now: clock } });
});

afterAll(async () => {
  await server?.close();
  await platform?.close();
});

const me = (token: string) => request(server.url).get("/api/me").set("Authorization", `Bearer ${token}`);

async function userEventTypes(sub: string): Promise<string[]> {
  const events = await server.handoff.store.readStream(userStream(platformUserId(sub)));
  return events.map((event) => event.type);
}

describe("a platform token", () => {
  it("signs its user in on the API: a stable id derived from sub, the name claim, both ids in /api/me", async () => {
    const token = await platform.sign({ sub: "plat-ann", name: "Ann from the platform" });
    const answer = await me(token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ id: platformUserId("plat-ann"), username: "Ann from the platform", platformId: "plat-ann" });
    const again = await me(await platform.sign({ sub: "plat-ann", name: "Ann from the platform" }));
    expect(again.body.id).toBe(answer.body.id);
  });

  it("records the profile once, and a changed name as a new event", async () => {
    await me(await platform.sign({ sub: "plat-bo", name: "Bo" }));
    await me(await platform.sign({ sub: "plat-bo", name: "Bo" }));
    expect(await userEventTypes("plat-bo")).toEqual(["PlatformProfileRecorded"]);
    const renamed = await me(await platform.sign({ sub: "plat-bo", name: "Bo Renamed" }));
    expect(renamed.body.username).toBe("Bo Renamed");
    expect(await userEventTypes("plat-bo")).toEqual(["PlatformProfileRecorded", "PlatformProfileRecorded"]);
  });

  it("opens the API's event streams", async () => {
    const token = await platform.sign({ sub: "plat-streamer", name: "Streamer" });
    const stream = await connectSse(`${server.url}/api/me/stream`, { Authorization: `Bearer ${token}` });
    try {
      expect(stream.status).toBe(200);
    } finally {
      stream.close();
    }
  });

  it("works on the giveaway routes: a platform user creates, another enters, names show", async () => {
    const giver = await platform.sign({ sub: "plat-giver", name: "Gina" });
    const entrant = await platform.sign({ sub: "plat-entrant", name: "Eddie" });
    const created = await request(server.url).post("/api/giveaways").set("Authorization", `Bearer ${giver}`).send({ title: "Lamp" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const entered = await request(server.url).post(`/api/giveaways/${created.body.id}/entries`).set("Authorization", `Bearer ${entrant}`);
    expect(entered.status, JSON.stringify(entered.body)).toBeLessThan(300);
    const shown = await request(server.url).get(`/api/giveaways/${created.body.id}`).set("Authorization", `Bearer ${entrant}`);
    expect(shown.body.giverName ?? shown.body.giver?.username).toBe("Gina");
  });

  it("names platform users in the audit replay: the sub until they sign in, then their newest name", async () => {
    const names = storeUserNames(server.handoff.store);
    await server.handoff.platform.users.ensureLinked("plat-unseen", "test");
    expect(await names(platformUserId("plat-unseen"))).toBe("plat-unseen");
    await me(await platform.sign({ sub: "plat-audited", name: "Old Name" }));
    await me(await platform.sign({ sub: "plat-audited", name: "New Name" }));
    expect(await storeUserNames(server.handoff.store)(platformUserId("plat-audited"))).toBe("New Name");
  });

  it("ends with sign-out everywhere, like handoff's own sessions", async () => {
    const token = await platform.sign({ sub: "plat-leaver", name: "Leaver" });
    expect((await me(token)).status).toBe(200);
    const signedOut = await request(server.url).delete("/api/tokens").set("Authorization", `Bearer ${token}`);
    expect(signedOut.status).toBe(204);
    const after = await me(token);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("invalid_token");
  });
});

describe("pictures", () => {
  it("shows a picture from a listed origin (and lets the pages load it), initials for any other", async () => {
    const imageOrigin = "https://images.platform.example";
    const pictured = await startTestServer({ env: { ...platform.env, PLATFORM_IMAGE_ORIGINS: imageOrigin } });
    try {
      const giver = await platform.sign({ sub: "pic-giver", name: "Gina Pictured", picture: `${imageOrigin}/gina.png` });
      const winner = await platform.sign({ sub: "pic-winner", name: "Walt Whoever", picture: "https://elsewhere.example/walt.png" });
      const as = (token: string) => ({ Authorization: `Bearer ${token}` });
      const created = await request(pictured.url).post("/api/giveaways").set(as(giver)).send({ title: "Chair" });
      await request(pictured.url).post(`/api/giveaways/${created.body.id}/entries`).set(as(winner)).expect(201);
      await request(pictured.url).post(`/api/giveaways/${created.body.id}/draw`).set(as(giver)).expect(200);
      const winnersView = await request(pictured.url).get(`/messages/${created.body.id}`).set(as(winner));
      expect(winnersView.status).toBe(200);
      expect(winnersView.text).toContain(`src="${imageOrigin}/gina.png"`);
      expect(winnersView.headers["content-security-policy"]).toContain(`img-src 'self' data: ${imageOrigin};`);
      const giversView = await request(pictured.url).get(`/messages/${created.body.id}`).set(as(giver));
      expect(giversView.text).not.toContain("elsewhere.example");
      expect(giversView.text).toMatch(/avatar-initials[^>]*>WW</);
    } finally {
      await pictured.close();
    }
  });
});

describe("refusals, each with 401 and its own code", () => {
  const refusedWith = async (token: string, code: string) => {
    const answer = await me(token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(401);
    expect(answer.body.error.code).toBe(code);
    expect(answer.headers["www-authenticate"]).toBeDefined();
  };

  it("an expired token", async () => refusedWith(await platform.sign({ sub: "x", expiresIn: -120 }), "token_expired"));
  it("a token not valid yet", async () => refusedWith(await platform.sign({ sub: "x", notBefore: 3600 }), "token_not_yet_valid"));
  it("the wrong issuer", async () => refusedWith(await platform.sign({ sub: "x", issuer: "https://another.example/" }), "wrong_issuer"));
  it("the wrong audience", async () => refusedWith(await platform.sign({ sub: "x", audience: "someone-else" }), "wrong_audience"));

  it("alg: none", async () => {
    const unsigned = jwt.sign({ sub: "x", name: "x", iss: platform.issuer, aud: platform.audience }, "", { algorithm: "none", expiresIn: 300 } as jwt.SignOptions);
    await refusedWith(unsigned, "alg_not_allowed");
  });

  it("an HS256 token 'signed' with the platform's public key", async () => {
    const confused = jwt.sign({ sub: "x", name: "x" }, platform.current.spki, { algorithm: "HS256", issuer: platform.issuer, audience: platform.audience, expiresIn: 300, keyid: platform.current.kid });
    await refusedWith(confused, "alg_not_allowed");
  });

  it("a bad signature", async () => {
    const [header, payload, signature] = (await platform.sign({ sub: "x" })).split(".");
    const otherPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), sub: "admin" })).toString("base64url");
    await refusedWith(`${header}.${otherPayload}.${signature}`, "bad_signature");
  });

  it("a token without a name", async () => refusedWith(await platform.sign({ sub: "x", extra: { name: undefined } }), "invalid_claims"));

  it("a handoff-shaped but malformed token keeps handoff's own refusal", async () => refusedWith("not.a.jwt", "invalid_token"));
});

describe("the platform's keys", () => {
  it("a rotated key works after the rotation; an unknown kid is refused after one refetch a minute", async () => {
    const before = platform.jwksFetches();
    expect((await me(await platform.sign({ sub: "rot", expiresIn: 86_400 }))).status).toBe(200);
    await platform.rotate();
    clockOffsetMs += 61_000; // past the refetch's minute
    const rotated = await me(await platform.sign({ sub: "rot", expiresIn: 86_400 }));
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(platform.jwksFetches()).toBeGreaterThan(before);
    // A kid the platform never published: refetched at most once a minute, then refused.
    const stranger = await import("../support/fakePlatform.ts").then(({ makeSigningKey }) => makeSigningKey("RS256"));
    clockOffsetMs += 61_000;
    const fetchesBefore = platform.jwksFetches();
    const first = await me(await platform.sign({ sub: "rot", key: stranger, expiresIn: 86_400 }));
    expect(first.body.error.code).toBe("unknown_key");
    const second = await me(await platform.sign({ sub: "rot", key: stranger, expiresIn: 86_400 }));
    expect(second.body.error.code).toBe("unknown_key");
    expect(platform.jwksFetches() - fetchesBefore).toBe(1);
  });

  it("the last good keys keep working while the JWKS is down; a token they cannot check gets 503", async () => {
    expect((await me(await platform.sign({ sub: "down", expiresIn: 86_400 }))).status).toBe(200);
    platform.down();
    try {
      clockOffsetMs += 11 * 60_000; // past the background refresh too
      const known = await me(await platform.sign({ sub: "down", expiresIn: 86_400 }));
      expect(known.status, JSON.stringify(known.body)).toBe(200);
      await platform.rotate();
      clockOffsetMs += 61_000;
      const unknown = await me(await platform.sign({ sub: "down", expiresIn: 86_400 }));
      expect(unknown.status, JSON.stringify(unknown.body)).toBe(503);
      expect(unknown.body.error.code).toBe("platform_keys_unavailable");
      expect(unknown.headers["retry-after"]).toBeDefined();
    } finally {
      platform.up();
    }
  });

  it("a server that never had the keys answers 503, not 500, while the JWKS is down", async () => {
    const other = await startFakePlatform({ alg: "ES256" });
    other.down();
    const fresh = await startTestServer({ env: other.env });
    try {
      const answer = await request(fresh.url).get("/api/me").set("Authorization", `Bearer ${await other.sign({ sub: "y" })}`);
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe("platform_keys_unavailable");
      other.up();
      const later = await request(fresh.url).get("/api/me").set("Authorization", `Bearer ${await other.sign({ sub: "y" })}`);
      expect(later.status, JSON.stringify(later.body)).toBe(200);
    } finally {
      await fresh.close();
      await other.close();
    }
  });

  it("one PEM public key (PLATFORM_PUBLIC_KEY), EdDSA", async () => {
    const other = await startFakePlatform({ alg: "EdDSA" });
    const fresh = await startTestServer({ env: { PLATFORM_PUBLIC_KEY: other.current.spki, PLATFORM_ISSUER: other.issuer, PLATFORM_AUDIENCE: other.audience } });
    try {
      const answer = await request(fresh.url).get("/api/me").set("Authorization", `Bearer ${await other.sign({ sub: "pem-user", name: "Pem" })}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.username).toBe("Pem");
      expect(other.jwksFetches()).toBe(0);
    } finally {
      await fresh.close();
      await other.close();
    }
  });
});

describe("AUTH_MODE", () => {
  it("platform alone turns registration and passwords off, on the API and the pages", async () => {
    const only = await startTestServer({ env: { ...platform.env, AUTH_MODE: "platform" } });
    try {
      const register = await request(only.url).post("/api/users").send({ username: "local", password: "correct horse" });
      expect(register.status).toBe(403);
      expect(register.body.error.code).toBe("local_accounts_disabled");
      const signIn = await request(only.url).post("/api/tokens").send({ username: "local", password: "correct horse" });
      expect(signIn.body.error.code).toBe("local_accounts_disabled");
      const page = await request(only.url).get("/register");
      expect(page.status).toBe(403);
      expect(page.text).toContain("through the giveaway platform");
      expect((await request(only.url).get("/api/me").set("Authorization", `Bearer ${await platform.sign({ sub: "only" })}`)).status).toBe(200);
    } finally {
      await only.close();
    }
  });

  it("both (the default with platform settings) keeps handoff's own accounts", async () => {
    const register = await request(server.url).post("/api/users").send({ username: "localann", password: "correct horse" });
    expect(register.status).toBe(201);
  });

  it("local together with platform settings stops the start, naming the conflict", async () => {
    const { loadConfig } = await import("../../src/config.ts");
    expect(() => loadConfig({ ...platform.env, AUTH_MODE: "local" })).toThrow(/AUTH_MODE=local conflicts/);
    expect(() => loadConfig({ AUTH_MODE: "platform" })).toThrow(/needs PLATFORM_JWKS_URL/);
    expect(() => loadConfig({ PLATFORM_JWKS_URL: platform.jwksUrl })).toThrow(/PLATFORM_ISSUER is required/);
    expect(loadConfig({}).authMode).toBe("local");
    expect(loadConfig({ ...platform.env }).authMode).toBe("both");
  });
});

// The abuse limits on the API and its streams: 429 rate_limited with Retry-After at each limit and
// not before, per IP and per account; RATE_LIMITS=off turns them all off. Small limits keep it fast.
// With TRUST_PROXY each test (and each person) comes from an address of its own (X-Forwarded-For).
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectSse, type SseConnection } from "../support/sseClient.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { onePixelPng } from "../support/sampleFiles.ts";
import { password, uniqueName } from "./apiFixtures.ts";

const smallLimits = {
  RATE_LIMITS: "on",
  TRUST_PROXY: "true",
  RATE_LIMIT_SIGNIN_PER_IP: "5/60",
  RATE_LIMIT_SIGNIN_PER_ACCOUNT: "3/60",
  RATE_LIMIT_REGISTER_PER_IP: "3/3600",
  RATE_LIMIT_MESSAGES_PER_ACCOUNT: "4/60",
  RATE_LIMIT_MESSAGES_PER_IP: "6/60",
  RATE_LIMIT_GIVEAWAYS_PER_ACCOUNT: "2/60",
  RATE_LIMIT_GIVEAWAYS_PER_IP: "3/60",
  RATE_LIMIT_STREAMS_PER_USER: "2",
};

let addressCount = 0;
/** A client address no other test uses. */
const freshIp = () => `198.51.100.${(addressCount += 1)}`;

interface Person {
  id: string;
  username: string;
  token: string;
  ip: string;
}

/** Every request of a person carries their address (the trusted proxy's X-Forwarded-For). */
const from = (ip: string) => ({ "X-Forwarded-For": ip });
const bearer = (person: Person) => ({ Authorization: `Bearer ${person.token}`, ...from(person.ip) });

async function signUp(server: TestServer, ip = freshIp()): Promise<Person> {
  const username = uniqueName("lim");
  const created = await request(server.url).post("/api/users").set(from(ip)).send({ username, password });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const signedIn = await request(server.url).post("/api/tokens").set(from(ip)).send({ username, password });
  expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(201);
  return { id: created.body.id, username, token: signedIn.body.token, ip };
}

async function conversation(server: TestServer, giver: Person, winner: Person): Promise<string> {
  const created = await request(server.url).post("/api/giveaways").set(bearer(giver)).send({ title: "A lamp" });
  expect(created.status).toBe(201);
  const giveawayId = created.body.id as string;
  expect((await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(bearer(winner))).status).toBe(201);
  expect((await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(bearer(giver))).status).toBe(200);
  return giveawayId;
}

const sendMessage = (server: TestServer, person: Person, giveawayId: string, content: string) =>
  request(server.url).post(`/api/giveaways/${giveawayId}/messages`).set(bearer(person)).send({ content });

const createGiveaway = (server: TestServer, person: Person) => request(server.url).post("/api/giveaways").set(bearer(person)).send({ title: "A chair" });

/** handoff_rate_limit_refusals_total by limit, as /metrics says. */
async function refusals(server: TestServer): Promise<Record<string, number>> {
  const text = (await request(server.url).get("/metrics")).text;
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^handoff_rate_limit_refusals_total\{limit="(\w+)"\} (\d+)/gm)) counts[match[1]!] = Number(match[2]);
  return counts;
}

function expectRateLimited(response: request.Response, windowSeconds: number, message: RegExp): void {
  expect({ status: response.status, body: response.body }).toEqual({ status: 429, body: { error: { code: "rate_limited", message: expect.stringMatching(message) } } });
  const retryAfter = Number(response.headers["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

describe("with small limits", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: smallLimits });
  });
  afterAll(() => server.close());

  it("sign-in: 5 attempts per IP, the 6th is refused (even with the right password); another IP is not", async () => {
    const ann = await signUp(server);
    const ip = freshIp();
    const before = await refusals(server);
    for (let i = 0; i < 5; i += 1) {
      const wrong = await request(server.url).post("/api/tokens").set(from(ip)).send({ username: uniqueName("nobody"), password: "wrong password" });
      expect(wrong.status).toBe(401);
    }
    const sixth = await request(server.url).post("/api/tokens").set(from(ip)).send({ username: ann.username, password });
    expectRateLimited(sixth, 60, /too many sign-in attempts from this address: try again in \d+ seconds?/);
    expect((await refusals(server)).signin_ip).toBe((before.signin_ip ?? 0) + 1);
    expect((await request(server.url).post("/api/tokens").set(from(freshIp())).send({ username: ann.username, password })).status).toBe(201);
  });

  it("an IPv6 client is its /64: a fresh address in the same /64 shares the budget, another /64 does not", async () => {
    const attempt = (ip: string) => request(server.url).post("/api/tokens").set(from(ip)).send({ username: uniqueName("nobody"), password: "wrong password" });
    for (let i = 1; i <= 5; i += 1) expect((await attempt(`2001:db8:5:1::${i}`)).status).toBe(401);
    expectRateLimited(await attempt("2001:db8:5:1:ffff:ffff:ffff:ffff"), 60, /too many sign-in attempts from this address/);
    expect((await attempt("2001:db8:5:2::1")).status).toBe(401);
  });

  it("sign-in: 3 failures per account (any case of the name, any IP), then refused; successful sign-ins never count", async () => {
    const bo = await signUp(server);
    const other = await signUp(server);
    for (let i = 0; i < 6; i += 1) {
      expect((await request(server.url).post("/api/tokens").set(from(freshIp())).send({ username: bo.username, password })).status).toBe(201);
    }
    for (const name of [bo.username, bo.username.toUpperCase(), ` ${bo.username} `]) {
      expect((await request(server.url).post("/api/tokens").set(from(freshIp())).send({ username: name, password: "wrong password" })).status).toBe(401);
    }
    const fourth = await request(server.url).post("/api/tokens").set(from(freshIp())).send({ username: bo.username.toUpperCase(), password });
    expectRateLimited(fourth, 60, /too many failed sign-ins for this account/);
    expect((await request(server.url).post("/api/tokens").set(from(freshIp())).send({ username: other.username, password })).status).toBe(201);
  });

  it("registration: 3 per IP, the 4th is refused; another IP registers", async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i += 1) {
      expect((await request(server.url).post("/api/users").set(from(ip)).send({ username: uniqueName("reg"), password })).status).toBe(201);
    }
    const fourth = await request(server.url).post("/api/users").set(from(ip)).send({ username: uniqueName("reg"), password });
    expectRateLimited(fourth, 3600, /too many new accounts from this address/);
    expect((await request(server.url).post("/api/users").set(from(freshIp())).send({ username: uniqueName("reg"), password })).status).toBe(201);
  });

  it("messages: 4 per account, the 5th is refused and not stored; the other participant still sends", async () => {
    const [giver, winner] = [await signUp(server), await signUp(server)];
    const giveawayId = await conversation(server, giver, winner);
    for (let i = 1; i <= 4; i += 1) expect((await sendMessage(server, giver, giveawayId, `message ${i}`)).status).toBe(201);
    const before = await refusals(server);
    expectRateLimited(await sendMessage(server, giver, giveawayId, "one too many"), 60, /you are sending messages too fast/);
    expect((await refusals(server)).messages_account).toBe((before.messages_account ?? 0) + 1);
    expect((await sendMessage(server, winner, giveawayId, "my turn")).status).toBe(201);
    const stored = await request(server.url).get(`/api/giveaways/${giveawayId}/messages`).set(bearer(winner));
    expect(stored.body.messages.map((m: { content: string }) => m.content)).toEqual(["message 1", "message 2", "message 3", "message 4", "my turn"]);
  });

  it("messages: an edit, a reaction, an upload and a retraction spend the same budget; read marks do not", async () => {
    const [giver, winner] = [await signUp(server), await signUp(server)];
    const giveawayId = await conversation(server, giver, winner);
    const api = (path: string) => `/api/giveaways/${giveawayId}${path}`;
    const sent = await sendMessage(server, giver, giveawayId, "first");
    expect(sent.status).toBe(201);
    for (let i = 0; i < 10; i += 1) expect((await request(server.url).post(api("/read")).set(bearer(giver)).send({ revision: sent.body.revision })).status).toBe(204);
    expect((await request(server.url).put(api(`/messages/${sent.body.id}/reactions/${encodeURIComponent("👍")}`)).set(bearer(giver))).status).toBe(204);
    expect((await request(server.url).patch(api(`/messages/${sent.body.id}`)).set(bearer(giver)).send({ content: "first, edited" })).status).toBe(200);
    const upload = await request(server.url).post(api("/attachments")).set(bearer(giver)).set("Content-Type", "image/png").send(onePixelPng());
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    expectRateLimited(await request(server.url).delete(api(`/messages/${sent.body.id}`)).set(bearer(giver)), 60, /you are sending messages too fast/);
    const refusedUpload = await request(server.url).post(api("/attachments")).set(bearer(giver)).set("Content-Type", "image/png").send(onePixelPng());
    expectRateLimited(refusedUpload, 60, /you are sending messages too fast/);
  });

  it("messages: 6 per IP, whoever sends them; the 7th is refused", async () => {
    const ip = freshIp();
    const [giver, winner] = [await signUp(server, ip), await signUp(server, ip)];
    const giveawayId = await conversation(server, giver, winner);
    for (let i = 0; i < 3; i += 1) {
      expect((await sendMessage(server, giver, giveawayId, `g${i}`)).status).toBe(201);
      expect((await sendMessage(server, winner, giveawayId, `w${i}`)).status).toBe(201);
    }
    const before = await refusals(server);
    expectRateLimited(await sendMessage(server, giver, giveawayId, "g3"), 60, /you are sending messages too fast/);
    expect((await refusals(server)).messages_ip).toBe((before.messages_ip ?? 0) + 1);
  });

  it("giveaways: 2 per account and 3 per IP", async () => {
    const ip = freshIp();
    const [ann, bo] = [await signUp(server, ip), await signUp(server, ip)];
    expect((await createGiveaway(server, ann)).status).toBe(201);
    expect((await createGiveaway(server, ann)).status).toBe(201);
    expectRateLimited(await createGiveaway(server, ann), 60, /you are creating giveaways too fast/);
    expect((await createGiveaway(server, bo)).status).toBe(201);
    const before = await refusals(server);
    expectRateLimited(await createGiveaway(server, bo), 60, /you are creating giveaways too fast/);
    expect((await refusals(server)).giveaways_ip).toBe((before.giveaways_ip ?? 0) + 1);
  });

  it("streams: 2 open per user over every stream route; a closed one frees its place; others are not affected", async () => {
    const [giver, winner] = [await signUp(server), await signUp(server)];
    const giveawayId = await conversation(server, giver, winner);
    const open: SseConnection[] = [];
    try {
      const conversationStream = await connectSse(`${server.url}/api/giveaways/${giveawayId}/stream`, bearer(giver));
      open.push(conversationStream);
      const notifications = await connectSse(`${server.url}/api/me/stream`, bearer(giver));
      open.push(notifications);
      expect([conversationStream.status, notifications.status]).toEqual([200, 200]);

      const third = await connectSse(`${server.url}/api/me/stream`, bearer(giver));
      open.push(third);
      expect(third.status).toBe(429);
      expect(third.body).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/at most 2 live streams/) } });
      expect(Number(third.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      // The pages' streams count too (the session cookie carries the same token).
      const cookie = { Cookie: `handoff_session=${giver.token}` };
      for (const path of [`/me/stream`, `/messages/${giveawayId}/stream`]) {
        const page = await connectSse(`${server.url}${path}`, cookie);
        open.push(page);
        expect(page.status).toBe(429);
        expect(page.headers["content-type"]).toMatch(/^text\/plain/);
        expect(Number(page.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      }
      expect((await connectSse(`${server.url}/api/me/stream`, bearer(winner))).status).toBe(200);

      notifications.close();
      await expect
        .poll(async () => {
          const again = await connectSse(`${server.url}/me/stream`, cookie);
          open.push(again);
          if (again.status === 200) again.close();
          return again.status;
        })
        .toBe(200);
    } finally {
      for (const each of open) each.close();
    }
  });
});

describe("the client's address", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMITS: "on", RATE_LIMIT_SIGNIN_PER_IP: "2/60" } });
  });
  afterAll(() => server.close());

  it("without TRUST_PROXY, X-Forwarded-For is the client's own words and changes nothing", async () => {
    const attempt = (ip: string) => request(server.url).post("/api/tokens").set(from(ip)).send({ username: uniqueName("nobody"), password: "wrong password" });
    expect((await attempt(freshIp())).status).toBe(401);
    expect((await attempt(freshIp())).status).toBe(401);
    expectRateLimited(await attempt(freshIp()), 60, /too many sign-in attempts/);
  });
});

/** Everything past the small limits, from one address: the statuses. */
async function pastEveryLimit(server: TestServer): Promise<number[]> {
  const ip = freshIp();
  const statuses: number[] = [];
  for (let i = 0; i < 8; i += 1) {
    statuses.push((await request(server.url).post("/api/tokens").set(from(ip)).send({ username: "somebody", password: "wrong password" })).status);
  }
  const [giver, winner, third] = [await signUp(server), await signUp(server), await signUp(server)];
  for (let i = 0; i < 4; i += 1) statuses.push((await request(server.url).post("/api/users").set(from(ip)).send({ username: uniqueName("reg"), password })).status);
  const giveawayId = await conversation(server, giver, winner);
  for (let i = 0; i < 8; i += 1) statuses.push((await sendMessage(server, giver, giveawayId, `m${i}`)).status);
  for (let i = 0; i < 4; i += 1) statuses.push((await createGiveaway(server, third)).status);
  const streams = await Promise.all([1, 2, 3, 4].map(() => connectSse(`${server.url}/api/me/stream`, bearer(giver))));
  for (const stream of streams) stream.close();
  statuses.push(...streams.map((stream) => stream.status));
  return statuses;
}

describe("RATE_LIMITS=off", () => {
  it("refuses nothing, however far past the configured limits (which, on, refuse each kind)", async () => {
    for (const mode of ["on", "off"]) {
      const server = await startTestServer({ env: { ...smallLimits, RATE_LIMITS: mode } });
      try {
        const statuses = await pastEveryLimit(server);
        const refused = statuses.filter((status) => status === 429).length;
        if (mode === "off") {
          expect(refused).toBe(0);
          expect(statuses.filter((status) => status === 201 || status === 200)).toHaveLength(4 + 8 + 4 + 4);
        } else {
          // sign-in 5 (the 4th and 5th by the account's 3 failures, the rest by the IP's 5 attempts),
          // registration 1, messages 4, giveaways 2, streams 2
          expect(refused).toBe(5 + 1 + 4 + 2 + 2);
        }
      } finally {
        await server.close();
      }
    }
  });
});

// Webhooks on a real server, to real receivers on loopback (OUTBOUND_ALLOW_PRIVATE=true, short retry
// waits): registration shows the secret once; every delivery verifies with the standardwebhooks
// package; a receiver answering 500 then 200 gets it again with the same webhook-id; a rotation signs
// with both secrets; the list shows each endpoint's deliveries; a removed endpoint gets nothing more;
// another key sees none of it. On a server without OUTBOUND_ALLOW_PRIVATE, private URLs are refused.
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnGiveaway, expectError, send } from "../http/apiFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./webhookReceiver.ts";

let server: TestServer;
let key: string;
let otherKey: string;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { OUTBOUND_ALLOW_PRIVATE: "true", WEBHOOK_RETRY_DELAYS_MS: "300,300,300", WEBHOOK_TIMEOUT_MS: "2000" } });
  key = await server.handoff.serviceKeys.create("shop");
  otherKey = await server.handoff.serviceKeys.create("other-shop");
});
afterAll(async () => {
  await server?.close();
  for (const receiver of receivers) await receiver.close();
});

function call(method: "get" | "post" | "delete", path: string, options: { body?: object; as?: string; idem?: string } = {}) {
  let req = request(server.url)[method](`/api/platform/webhooks${path}`).set("Authorization", `Bearer ${options.as ?? key}`);
  if (method !== "get") req = req.set("Idempotency-Key", options.idem ?? randomUUID());
  return options.body === undefined ? req : req.send(options.body);
}

async function receiverFor(events: string[], as?: string): Promise<{ receiver: WebhookReceiver; id: string; secret: string }> {
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  const body = { url: receiver.url, events };
  const created = await call("post", "", as === undefined ? { body } : { body, as });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  receiver.secrets = [created.body.secret];
  return { receiver, id: created.body.id, secret: created.body.secret };
}

describe("webhooks to real receivers", () => {
  it("registers (201, the secret once), and delivers what the platform subscribed to, each verified with standardwebhooks", async () => {
    const { receiver, id, secret } = await receiverFor(["giveaway.drawn", "message.sent", "message.read"]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    const sent = await send(server, giver, giveawayId, "Saturday at 10?");
    expect((await request(server.url).post(`/api/giveaways/${giveawayId}/read`).set(winner.auth).send({ revision: sent.revision })).status).toBe(204);

    await expect.poll(() => receiver.received.map((delivery) => delivery.payload?.type).sort(), { timeout: 10_000 }).toEqual(["giveaway.drawn", "message.read", "message.sent"]);
    expect(receiver.received.every((delivery) => delivery.verifiedWith.length === 1)).toBe(true);
    const typed = (type: string) => receiver.received.find((delivery) => delivery.payload?.type === type);
    const [drawn, message] = [typed("giveaway.drawn"), typed("message.sent")];
    expect(drawn!.payload).toMatchObject({ type: "giveaway.drawn", data: { giveawayId, winnerId: winner.id } });
    expect(message!.payload).toMatchObject({ type: "message.sent", data: { giveawayId, messageId: sent.id, senderId: giver.id, content: "Saturday at 10?", kind: "user" } });
    expect(new Set(receiver.received.map((delivery) => delivery.webhookId)).size).toBe(3);

    const listed = await call("get", "");
    expect(listed.status).toBe(200);
    const endpoint = listed.body.webhooks.find((each: { id: string }) => each.id === id);
    expect(endpoint).toMatchObject({ id, url: receiver.url, events: ["giveaway.drawn", "message.sent", "message.read"], status: "active" });
    expect(endpoint.secret).toBeUndefined(); // shown once, at creation
    expect(endpoint.recentDeliveries).toHaveLength(3);
    expect(endpoint.recentDeliveries[0]).toMatchObject({ outcome: "delivered", status: 200, attempt: 1, latencyMs: expect.any(Number), attemptedAt: expect.any(String) });
  });

  it("tells the platform what its own calls did, under its own giveaway id: its draw, its system message (kind system), its cancel", async () => {
    const { receiver } = await receiverFor(["giveaway.drawn", "message.sent", "giveaway.cancelled"]);
    const platform = (method: "put" | "post", path: string, body?: object) =>
      request(server.url)[method](`/api/platform/giveaways/${path}`).set("Authorization", `Bearer ${key}`).set("Idempotency-Key", randomUUID()).send(body ?? {});
    const platformId = `lamp-${randomUUID().slice(0, 8)}`;
    const created = await platform("put", platformId, { title: "A lamp", giverId: "u-ann" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await platform("put", `${platformId}/entrants/u-bob`)).status).toBe(201);
    expect((await platform("post", `${platformId}/draw`, { winnerId: "u-bob" })).status).toBe(200);
    expect((await platform("post", `${platformId}/messages`, { content: "Reserved for you" })).status).toBe(201);
    expect((await platform("post", `${platformId}/cancel`, { reason: "sold elsewhere" })).status).toBe(200);
    await expect.poll(() => receiver.received.map((delivery) => delivery.payload?.type).sort(), { timeout: 10_000 }).toEqual(["giveaway.cancelled", "giveaway.drawn", "message.sent"]);
    const typed = (type: string) => receiver.received.find((delivery) => delivery.payload?.type === type)!.payload!.data;
    const common = { giveawayId: created.body.id, platformGiveawayId: platformId };
    expect(typed("giveaway.drawn")).toMatchObject({ ...common, decidedBy: "platform" });
    expect(typed("message.sent")).toMatchObject({ ...common, kind: "system", senderId: null, content: "Reserved for you" });
    expect(typed("giveaway.cancelled")).toMatchObject({ ...common, reason: "sold elsewhere" });
    expect(receiver.received.every((delivery) => delivery.verifiedWith.length === 1)).toBe(true);
  });

  it("pickup.agreed carries the agreed window and place", async () => {
    const { receiver } = await receiverFor(["pickup.agreed"]);
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    const hour = 3_600_000;
    const plan = { from: new Date(Date.now() + 24 * hour).toISOString(), to: new Date(Date.now() + 26 * hour).toISOString(), place: "Elm Street 5", id: randomUUID() };
    expect((await request(server.url).post(`/api/giveaways/${giveawayId}/pickup/proposals`).set(giver.auth).send(plan)).status).toBe(201);
    expect((await request(server.url).post(`/api/giveaways/${giveawayId}/pickup/proposals/${plan.id}/accept`).set(winner.auth)).status).toBe(200);
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    expect(receiver.received[0]!.payload).toMatchObject({ type: "pickup.agreed", data: { giveawayId, proposalId: plan.id, acceptedBy: winner.id, from: plan.from, to: plan.to, place: plan.place } });
  });

  it("a receiver answering 500, then 200, gets the delivery again with the same webhook-id", async () => {
    const { receiver, id } = await receiverFor(["message.sent"]);
    receiver.answer = (_delivery, index) => (index === 0 ? 500 : 200);
    const { giveawayId, giver } = await drawnGiveaway(server);
    await send(server, giver, giveawayId, "first try fails");
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(2);
    const [first, second] = receiver.received;
    expect(second!.webhookId).toBe(first!.webhookId);
    expect(second!.body).toBe(first!.body);
    expect(receiver.received.every((delivery) => delivery.verifiedWith.length === 1)).toBe(true);
    await expect
      .poll(async () => (await call("get", "")).body.webhooks.find((each: { id: string }) => each.id === id).recentDeliveries.map((attempt: { attempt: number; status: number; outcome: string }) => [attempt.attempt, attempt.status, attempt.outcome]))
      .toEqual([[2, 200, "delivered"], [1, 500, "retrying"]]);
  });

  it("a redirect is not followed: it is a failed attempt, tried again later", async () => {
    const { receiver } = await receiverFor(["message.sent"]);
    receiver.answer = (_delivery, index) => (index === 0 ? 302 : 204);
    const { giveawayId, giver } = await drawnGiveaway(server);
    await send(server, giver, giveawayId, "moved?");
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(2);
    expect(receiver.received.map((delivery) => delivery.path)).toEqual(["/hooks", "/hooks"]);
    expect(receiver.received[1]!.webhookId).toBe(receiver.received[0]!.webhookId);
  });

  it("after a rotation both secrets sign for a day, and the old one alone verifies too", async () => {
    const { receiver, id, secret } = await receiverFor(["message.sent"]);
    const rotated = await call("post", `/${id}/rotate-secret`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body).toMatchObject({ id, secret: expect.stringMatching(/^whsec_/), previousSecretValidUntil: expect.any(String) });
    expect(Date.parse(rotated.body.previousSecretValidUntil) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    receiver.secrets = [secret, rotated.body.secret];
    const { giveawayId, giver } = await drawnGiveaway(server);
    await send(server, giver, giveawayId, "signed twice");
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    expect(receiver.received[0]!.verifiedWith).toEqual([secret, rotated.body.secret]);
    expect(receiver.received[0]!.signature.split(" ")).toHaveLength(2);
  });

  it("a removed endpoint gets nothing more; another key neither lists nor removes a key's endpoints", async () => {
    const { receiver, id } = await receiverFor(["message.sent"]);
    const foreign = await call("delete", `/${id}`, { as: otherKey });
    expectError(foreign, 404, "not_found");
    expect((await call("get", "", { as: otherKey })).body.webhooks.map((each: { id: string }) => each.id)).not.toContain(id);

    expect((await call("delete", `/${id}`)).status).toBe(204);
    expect((await call("get", "")).body.webhooks.map((each: { id: string }) => each.id)).not.toContain(id);
    expectError(await call("delete", `/${id}`), 404, "not_found");
    expectError(await call("post", `/${id}/rotate-secret`), 404, "not_found");
    expectError(await call("delete", "/not-an-id"), 404, "not_found");

    // A message after the removal, and one to a live endpoint after it: once that one is in, the removed one had its chance.
    const { receiver: witness } = await receiverFor(["message.sent"]);
    const { giveawayId, giver } = await drawnGiveaway(server);
    await send(server, giver, giveawayId, "nobody home");
    await expect.poll(() => witness.received.length, { timeout: 10_000 }).toBe(1);
    expect(receiver.received).toEqual([]);
  });

  it("refuses bad bodies (422), calls without an Idempotency-Key (400) and, on every route, without a service key (401/403)", async () => {
    expectError(await call("post", "", { body: { url: "http://127.0.0.1:9/x", events: ["giveaway.exploded"] } }), 422, "invalid_field");
    expectError(await call("post", "", { body: { url: "http://127.0.0.1:9/x", events: [] } }), 422, "invalid_field");
    expectError(await call("post", "", { body: { events: ["message.sent"] } }), 422, "invalid_field");
    expectError(await call("post", "", { body: { url: "ftp://127.0.0.1/x", events: ["message.sent"] } }), 422, "url_not_allowed");
    expectError(await request(server.url).post("/api/platform/webhooks").set("Authorization", `Bearer ${key}`).send({ url: "http://127.0.0.1:9/x", events: ["message.sent"] }), 400, "idempotency_key_required");
    expectError(await request(server.url).get("/api/platform/webhooks"), 401, "unauthenticated");
    expectError(await request(server.url).get("/api/platform/webhooks").set("Authorization", "Bearer not-a-key"), 403, "service_key_required");
    expectError(await request(server.url).delete(`/api/platform/webhooks/${randomUUID()}`).set("Idempotency-Key", randomUUID()), 401, "unauthenticated");
    expectError(await request(server.url).post(`/api/platform/webhooks/${randomUUID()}/rotate-secret`).set("Authorization", "Bearer a.user.token").set("Idempotency-Key", randomUUID()), 403, "service_key_required");
  });

  it("a retried registration (same Idempotency-Key) answers the same endpoint and secret, and registers one", async () => {
    const idem = randomUUID();
    const body = { url: "http://127.0.0.1:9/retried", events: ["message.sent"] };
    const first = await call("post", "", { body, idem });
    const again = await call("post", "", { body, idem });
    expect(first.status).toBe(201);
    expect({ status: again.status, body: again.body }).toEqual({ status: 201, body: first.body });
    expect((await call("get", "")).body.webhooks.filter((each: { url: string }) => each.url === body.url)).toHaveLength(1);
  });
});

describe("webhook URLs on a server that keeps to public addresses (no OUTBOUND_ALLOW_PRIVATE)", () => {
  let strict: TestServer;
  let strictKey: string;
  beforeAll(async () => {
    strict = await startTestServer();
    strictKey = await strict.handoff.serviceKeys.create("shop");
  });
  afterAll(() => strict?.close());

  const register = (url: string) =>
    request(strict.url).post("/api/platform/webhooks").set("Authorization", `Bearer ${strictKey}`).set("Idempotency-Key", randomUUID()).send({ url, events: ["message.sent"] });

  it.each([
    "http://hooks.example.invalid/in",
    "https://127.0.0.1/in",
    "https://127.1:8443/in",
    "https://localhost/in",
    "https://[::1]/in",
    "https://[::ffff:127.0.0.1]/in",
    "https://10.0.0.8/in",
    "https://192.168.1.20/in",
    "https://169.254.169.254/latest",
    "https://[fd00::5]/in",
    "https://0.0.0.0/in",
    "https://user:pw@hooks.example.invalid/in",
  ])("refuses %s with 422 url_not_allowed", async (url) => {
    expectError(await register(url), 422, "url_not_allowed");
  });

  it("accepts an https URL on a name (the address it resolves to is checked when connecting)", async () => {
    const created = await register("https://hooks.example.invalid/in");
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });
});

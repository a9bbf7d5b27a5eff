// The platform's backend API (/api/platform) on a real server: every route, its retries (the same
// Idempotency-Key answers the same and stores nothing, also after a restart), its conflicts, bad
// bodies and ids, and who may call it (a live service key only; a service key is no user's token).
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformGiveawayId, platformUserId } from "../../src/domain/platformIds.ts";
import { expectError, signUp, type SignedInUser } from "./apiFixtures.ts";
import { matrixRoutes } from "./authorizationRoutes.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

let server: TestServer;
let key: string;
let user: SignedInUser;
let counter = 0;

/** A platform id no other test here uses. */
const fresh = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

type Method = "get" | "put" | "post" | "delete";

/** A call with the service key (or `as`), a fresh Idempotency-Key unless `idem` names one. */
function call(method: Method, path: string, options: { body?: unknown; idem?: string | null; as?: string | null } = {}) {
  let req = request(server.url)[method](`/api/platform${path}`);
  const auth = options.as === undefined ? `Bearer ${key}` : options.as;
  if (auth !== null) req = req.set("Authorization", auth);
  const idem = options.idem === undefined ? randomUUID() : options.idem;
  if (method !== "get" && idem !== null) req = req.set("Idempotency-Key", idem);
  return options.body === undefined ? req : req.send(options.body as object);
}

const storedCount = async () => (await server.handoff.store.readAll()).length;

/** A platform giveaway of `giver` with these entrants: its platform id. */
async function giveaway(giver: string, entrants: string[] = []): Promise<string> {
  const id = fresh("g");
  const put = await call("put", `/giveaways/${id}`, { body: { title: "A bike", giverId: giver } });
  expect(put.status, JSON.stringify(put.body)).toBe(201);
  for (const entrant of entrants) expect((await call("put", `/giveaways/${id}/entrants/${entrant}`)).status).toBe(201);
  return id;
}

beforeAll(async () => {
  server = await startTestServer();
  key = await server.handoff.serviceKeys.create("shop");
  user = await signUp(server, "local");
});
afterAll(() => server?.close());

describe("PUT and GET /api/platform/giveaways/:giveawayId", () => {
  it("creates (201), answers the same to a retry with nothing stored, then unchanged (200) and updated (200)", async () => {
    const id = fresh("bike");
    const giver = fresh("ann");
    const idem = randomUUID();
    const created = await call("put", `/giveaways/${id}`, { idem, body: { title: "Blue bike", description: "new chain", giverId: giver } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      id: platformGiveawayId(id), platformId: id, title: "Blue bike", description: "new chain",
      giverId: platformUserId(giver), giverName: giver, status: "open", entrantCount: 0, winnerId: null,
    });
    const before = await storedCount();
    const retried = await call("put", `/giveaways/${id}`, { idem, body: { giverId: giver, description: "new chain", title: "Blue bike" } });
    expect({ status: retried.status, body: retried.body, replayed: retried.headers["idempotent-replayed"] }).toEqual({ status: 201, body: created.body, replayed: "true" });
    expect(await storedCount()).toBe(before);

    const unchanged = await call("put", `/giveaways/${id}`, { body: { title: "Blue bike", giverId: giver } });
    expect(unchanged.status).toBe(200);
    expect(await storedCount()).toBe(before + 1); // the answer recorded for its key, no giveaway event
    const updated = await call("put", `/giveaways/${id}`, { body: { title: "Red bike", description: "", giverId: giver } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ title: "Red bike", description: "", platformId: id });

    const shown = await call("get", `/giveaways/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(updated.body);
    // The user routes show it under handoff's own id.
    const asUser = await request(server.url).get(`/api/giveaways/${platformGiveawayId(id)}`).set(user.auth);
    expect(asUser.body).toMatchObject({ id: platformGiveawayId(id), platformId: id, title: "Red bike" });
  });

  it("keeps the giver once someone has entered (409 giver_fixed)", async () => {
    const giver = fresh("ann");
    const id = await giveaway(giver, [fresh("bo")]);
    expectError(await call("put", `/giveaways/${id}`, { body: { title: "A bike", giverId: fresh("cy") } }), 409, "giver_fixed");
  });

  it("refuses bad bodies (422) and ids (404) and stores nothing for them", async () => {
    const before = await storedCount();
    expectError(await call("put", `/giveaways/${fresh("g")}`, { body: { title: "A bike", giverId: "not a sub" } }), 422, "invalid_field");
    expectError(await call("put", `/giveaways/${fresh("g")}`, { body: { giverId: "ann" } }), 422, "invalid_field");
    expectError(await call("put", `/giveaways/${"x".repeat(65)}`, { body: { title: "A bike", giverId: "ann" } }), 404, "giveaway_not_found");
    expectError(await call("put", "/giveaways/a.b", { body: { title: "A bike", giverId: "ann" } }), 404, "giveaway_not_found");
    expectError(await call("get", `/giveaways/${fresh("never")}`), 404, "giveaway_not_found");
    expectError(await call("get", "/giveaways/%E0%A4%A"), 400, "bad_request"); // a path that cannot be decoded, as everywhere
    const badJson = await request(server.url).put(`/api/platform/giveaways/${fresh("g")}`).set("Authorization", `Bearer ${key}`).set("Idempotency-Key", "k").type("json").send("{");
    expectError(badJson, 400, "bad_json");
    expect(await storedCount()).toBe(before);
  });
});

describe("Idempotency-Key", () => {
  it("is required on every changing call (400), and one key for another method, path or body is 409", async () => {
    const id = fresh("g");
    expectError(await call("put", `/giveaways/${id}`, { idem: null, body: { title: "A bike", giverId: "ann" } }), 400, "idempotency_key_required");
    expectError(await call("put", `/giveaways/${id}`, { idem: "x".repeat(256), body: { title: "A bike", giverId: "ann" } }), 400, "idempotency_key_required");
    expectError(await call("put", `/giveaways/${id}`, { idem: "tab\tinside", body: { title: "A bike", giverId: "ann" } }), 400, "idempotency_key_required");
    const idem = `evt_${fresh("k")}`;
    expect((await call("put", `/giveaways/${id}`, { idem, body: { title: "A bike", giverId: "ann" } })).status).toBe(201);
    const before = await storedCount();
    expectError(await call("put", `/giveaways/${id}`, { idem, body: { title: "Another bike", giverId: "ann" } }), 409, "idempotency_key_conflict");
    expectError(await call("put", `/giveaways/${fresh("g")}`, { idem, body: { title: "A bike", giverId: "ann" } }), 409, "idempotency_key_conflict");
    expectError(await call("post", `/giveaways/${id}/cancel`, { idem }), 409, "idempotency_key_conflict");
    expect(await storedCount()).toBe(before);
  });

  it("is scoped to the service key: another key's same Idempotency-Key is another call", async () => {
    const other = await server.handoff.serviceKeys.create(fresh("other"));
    const idem = randomUUID();
    const first = await call("put", `/giveaways/${fresh("g")}`, { idem, body: { title: "A bike", giverId: "ann" } });
    const second = await call("put", `/giveaways/${fresh("g")}`, { idem, as: `Bearer ${other}`, body: { title: "A bike", giverId: "ann" } });
    expect([first.status, second.status]).toEqual([201, 201]);
  });

  it("serializes concurrent calls with one key: one is executed, both answer the same", async () => {
    const id = fresh("g");
    const idem = randomUUID();
    const body = { title: "A bike", giverId: "ann" };
    const before = await storedCount();
    const [a, b] = await Promise.all([call("put", `/giveaways/${id}`, { idem, body }), call("put", `/giveaways/${id}`, { idem, body })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toEqual(b.body);
    const added = (await server.handoff.store.readAll()).slice(before).map((event) => event.type);
    expect(added.filter((type) => type === "GiveawayCreated")).toHaveLength(1);
    expect(added.filter((type) => type === "IdempotentAnswerRecorded")).toHaveLength(1);
  });

  it("a refusal is not recorded: the same key is decided again once the state allows it", async () => {
    const giver = fresh("ann");
    const id = await giveaway(giver);
    const idem = randomUUID();
    const winner = fresh("bo");
    expectError(await call("post", `/giveaways/${id}/draw`, { idem, body: { winnerId: winner } }), 409, "winner_not_entrant");
    expect((await call("put", `/giveaways/${id}/entrants/${winner}`)).status).toBe(201);
    const drawn = await call("post", `/giveaways/${id}/draw`, { idem, body: { winnerId: winner } });
    expect(drawn.status, JSON.stringify(drawn.body)).toBe(200);
  });
});

describe("entrants, draw, redraw, cancel, system messages", () => {
  it("adds (201), again (200), withdraws (204) and counts entrants; the giver cannot enter", async () => {
    const giver = fresh("ann");
    const bo = fresh("bo");
    const id = await giveaway(giver);
    const added = await call("put", `/giveaways/${id}/entrants/${bo}`);
    expect(added.status).toBe(201);
    expect(added.body.entrantCount).toBe(1);
    const again = await call("put", `/giveaways/${id}/entrants/${bo}`);
    expect(again.status).toBe(200);
    expect(again.body.entrantCount).toBe(1);
    expectError(await call("put", `/giveaways/${id}/entrants/${giver}`), 403, "giver_cannot_enter");
    const idem = randomUUID();
    const withdrawn = await call("delete", `/giveaways/${id}/entrants/${bo}`, { idem });
    expect(withdrawn.status).toBe(204);
    const before = await storedCount();
    expect((await call("delete", `/giveaways/${id}/entrants/${bo}`, { idem })).status).toBe(204);
    expect(await storedCount()).toBe(before);
    expect((await call("get", `/giveaways/${id}`)).body.entrantCount).toBe(0);
    expect((await call("delete", `/giveaways/${id}/entrants/${fresh("nobody")}`)).status).toBe(204);
    expectError(await call("put", `/giveaways/${id}/entrants/bad.user`), 404, "not_found");
  });

  it("an unknown giveaway is 404 on every route, and naming a user for it stores nothing", async () => {
    const before = await storedCount();
    const id = fresh("never");
    expectError(await call("put", `/giveaways/${id}/entrants/${fresh("bo")}`), 404, "giveaway_not_found");
    expectError(await call("delete", `/giveaways/${id}/entrants/${fresh("bo")}`), 404, "giveaway_not_found");
    expectError(await call("post", `/giveaways/${id}/draw`, { body: { winnerId: "bo" } }), 404, "giveaway_not_found");
    expectError(await call("post", `/giveaways/${id}/redraw`, { body: { winnerId: "bo" } }), 404, "giveaway_not_found");
    expectError(await call("post", `/giveaways/${id}/cancel`), 404, "giveaway_not_found");
    expectError(await call("post", `/giveaways/${id}/messages`, { body: { content: "hi" } }), 404, "giveaway_not_found");
    expect(await storedCount()).toBe(before);
  });

  it("draws the platform's winner and opens the conversation as a handoff draw does; twice is 409; entries close", async () => {
    const giver = fresh("ann");
    const [bo, cy] = [fresh("bo"), fresh("cy")];
    const id = await giveaway(giver, [bo, cy]);
    expectError(await call("post", `/giveaways/${id}/draw`, { body: { winnerId: fresh("stranger") } }), 409, "winner_not_entrant");
    expectError(await call("post", `/giveaways/${id}/draw`, { body: { winner: cy } }), 422, "invalid_field");
    expectError(await call("post", `/giveaways/${id}/messages`, { body: { content: "too early" } }), 409, "conversation_closed");
    const drawn = await call("post", `/giveaways/${id}/draw`, { body: { winnerId: cy } });
    expect(drawn.status, JSON.stringify(drawn.body)).toBe(200);
    expect(drawn.body).toMatchObject({ status: "drawn", winnerId: platformUserId(cy), winnerName: cy, platformId: id });
    const giveawayId = platformGiveawayId(id);
    expect(server.handoff.queries.inboxEntry(platformUserId(giver), giveawayId)).toMatchObject({ giveawayId });
    expect(server.handoff.queries.inboxEntry(platformUserId(cy), giveawayId)).toMatchObject({ giveawayId });
    expect(server.handoff.queries.inboxEntry(platformUserId(bo), giveawayId)).toBeUndefined();
    expectError(await call("post", `/giveaways/${id}/draw`, { body: { winnerId: bo } }), 409, "already_drawn");
    expectError(await call("delete", `/giveaways/${id}/entrants/${bo}`), 409, "entries_closed");
    expectError(await call("put", `/giveaways/${id}/entrants/${fresh("late")}`), 409, "entries_closed");
  });

  it("redraws at once to the platform's choice, posts system messages once, and cancels", async () => {
    const giver = fresh("ann");
    const [bo, cy] = [fresh("bo"), fresh("cy")];
    const id = await giveaway(giver, [bo, cy]);
    expect((await call("post", `/giveaways/${id}/draw`, { body: { winnerId: bo } })).status).toBe(200);
    const redrawn = await call("post", `/giveaways/${id}/redraw`, { body: { winnerId: cy } });
    expect(redrawn.status, JSON.stringify(redrawn.body)).toBe(200);
    expect(redrawn.body).toMatchObject({ winnerId: platformUserId(cy), status: "drawn" });
    expectError(await call("post", `/giveaways/${id}/redraw`, { body: { winnerId: bo } }), 409, "winner_replaced");

    const idem = randomUUID();
    const posted = await call("post", `/giveaways/${id}/messages`, { idem, body: { content: "The giver marked this item as reserved for you" } });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(posted.body).toMatchObject({ senderId: null, kind: "system", content: "The giver marked this item as reserved for you", giveawayId: platformGiveawayId(id) });
    const before = await storedCount();
    const retried = await call("post", `/giveaways/${id}/messages`, { idem, body: { content: "The giver marked this item as reserved for you" } });
    expect({ status: retried.status, body: retried.body }).toEqual({ status: 201, body: posted.body });
    expect(await storedCount()).toBe(before);
    expectError(await call("post", `/giveaways/${id}/messages`, { body: { content: "   " } }), 422, "invalid_content");

    const cancelled = await call("post", `/giveaways/${id}/cancel`, { body: { reason: "sold elsewhere" } });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "cancelled", cancelReason: "sold elsewhere" });
    expectError(await call("post", `/giveaways/${id}/cancel`), 409, "giveaway_cancelled");
  });

  it("cancels before the draw without a body", async () => {
    const id = await giveaway(fresh("ann"));
    const cancelled = await call("post", `/giveaways/${id}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
  });
});

describe("who may call it", () => {
  it("no key or a malformed header 401, an unknown or revoked key 401, a user's token 403", async () => {
    const path = `/giveaways/${fresh("g")}`;
    expectError(await call("get", path, { as: null }), 401, "unauthenticated");
    expectError(await call("get", path, { as: `Basic ${Buffer.from("a:b").toString("base64")}` }), 401, "invalid_service_key");
    expectError(await call("get", path, { as: `Bearer hsk_shop_${"A".repeat(43)}` }), 401, "invalid_service_key");
    expectError(await call("get", path, { as: `Bearer hsk_nosuchkey_${"A".repeat(43)}` }), 401, "invalid_service_key");
    expectError(await call("get", path, { as: `Bearer ${key}x` }), 401, "invalid_service_key");
    expectError(await call("get", path, { as: user.auth.Authorization }), 403, "service_key_required");
    expectError(await call("put", path, { as: user.auth.Authorization, body: { title: "A bike", giverId: "ann" } }), 403, "service_key_required");

    const doomed = await server.handoff.serviceKeys.create(fresh("doomed"));
    const id = fresh("g");
    expect((await call("put", `/giveaways/${id}`, { as: `Bearer ${doomed}`, body: { title: "A bike", giverId: "ann" } })).status).toBe(201);
    await server.handoff.serviceKeys.revoke(doomed.split("_")[1]!);
    expectError(await call("get", `/giveaways/${id}`, { as: `Bearer ${doomed}` }), 401, "invalid_service_key");
  });

  it("a service key is no user's token: 401 on the user routes", async () => {
    const asKey = { Authorization: `Bearer ${key}` };
    expectError(await request(server.url).get("/api/me").set(asKey), 401, "invalid_token");
    expectError(await request(server.url).post("/api/giveaways").set(asKey).send({ title: "A bike" }), 401, "invalid_token");
    expectError(await request(server.url).get("/api/inbox").set(asKey), 401, "invalid_token");
    expect((await request(server.url).get("/giveaways").set("Cookie", `handoff_session=${key}`)).status).toBe(303);
  });

  it("an unknown path under /api/platform is a JSON 404, never a user route", async () => {
    expectError(await call("get", "/me"), 404, "not_found");
    expectError(await call("post", "/giveaways", { body: { title: "x" } }), 404, "not_found");
  });
});

// The authorization matrix's credentials are users'; this is its service-key dimension, over the same table.
describe("the authorization matrix's routes with a service key", () => {
  it("passes every platform route (no 401, 403, 404 or 5xx) and is refused (401) by every user route that needs a user", async () => {
    const wrong: string[] = [];
    const id = await giveaway(fresh("ann"), [fresh("bo")]);
    // The webhook routes that name an endpoint use a made-up id in the matrix (404 with a key): test/webhooks/webhooksApi.test.ts runs them on a real one.
    const platformRoutes = matrixRoutes.filter((route) => route.path.startsWith("/api/platform/") && !route.path.startsWith("/api/platform/webhooks/"));
    expect(platformRoutes.length).toBeGreaterThanOrEqual(8);
    for (const route of platformRoutes) {
      const path = route.path.replace("/api/platform", "").replace(":giveaway", id);
      const body = route.body?.({ freshName: "x", strangerName: "y" });
      const answer = await call(route.method.toLowerCase() as Method, path, { body });
      if ([401, 403, 404].includes(answer.status) || answer.status >= 500) wrong.push(`${route.method} ${route.path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    const userRoutes = matrixRoutes.filter((route) => route.via === "bearer" && route.path.startsWith("/api/") && !route.path.startsWith("/api/platform/") && route.expect.none === "unauthenticated");
    expect(userRoutes.length).toBeGreaterThan(20);
    for (const route of userRoutes) {
      const path = route.path.replace(/:(giveaway|message|proposal|attachment)/g, () => randomUUID());
      const answer = await request(server.url)[route.method.toLowerCase() as Method](path).set("Authorization", `Bearer ${key}`);
      if (answer.status !== 401) wrong.push(`${route.method} ${route.path} with a service key: ${answer.status}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("across a restart", () => {
  it("a retry answers what the first call answered and stores nothing", async () => {
    const id = fresh("g");
    const idem = randomUUID();
    const body = { title: "A lamp", giverId: fresh("ann") };
    const first = await call("put", `/giveaways/${id}`, { idem, body });
    expect(first.status).toBe(201);
    await server.stop();
    server = await startTestServer({ dataDir: server.dataDir });
    const before = await storedCount();
    const retried = await call("put", `/giveaways/${id}`, { idem, body });
    expect({ status: retried.status, body: retried.body }).toEqual({ status: 201, body: first.body });
    expect(await storedCount()).toBe(before);
    expectError(await call("put", `/giveaways/${id}`, { idem, body: { ...body, title: "A desk" } }), 409, "idempotency_key_conflict");
  });
});

describe("its own rate limit", () => {
  it("counts calls per service key and refuses past it with 429", async () => {
    const limited = await startTestServer({ env: { RATE_LIMITS: "on", RATE_LIMIT_PLATFORM_PER_KEY: "2/60" } });
    try {
      const [a, b] = [await limited.handoff.serviceKeys.create("a"), await limited.handoff.serviceKeys.create("b")];
      const get = (secret: string) => request(limited.url).get("/api/platform/giveaways/none").set("Authorization", `Bearer ${secret}`);
      expect([(await get(a)).status, (await get(a)).status]).toEqual([404, 404]);
      const refused = await get(a);
      expectError(refused, 429, "rate_limited");
      expect(refused.headers["retry-after"]).toBeDefined();
      expect((await get(b)).status).toBe(404);
    } finally {
      await limited.close();
    }
  });
});

// Blocks over the API on a real server: PUT / DELETE / GET /api/me/blocks, and what a block refuses
// (a send to the blocker, an entry into their giveaway, the platform naming them as entrant).
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformUserId } from "../../src/domain/platformIds.ts";
import { untilReadModelShows } from "../../src/projections/untilReadModelShows.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { createGiveaway, drawnGiveaway, expectError, send, signUp } from "./apiFixtures.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const block = (as: { auth: { Authorization: string } }, userId: string) => request(server.url).put(`/api/me/blocks/${userId}`).set(as.auth);
const unblock = (as: { auth: { Authorization: string } }, userId: string) => request(server.url).delete(`/api/me/blocks/${userId}`).set(as.auth);
const blocksOf = (as: { auth: { Authorization: string } }) => request(server.url).get("/api/me/blocks").set(as.auth);

describe("PUT, DELETE and GET /api/me/blocks", () => {
  it("blocks (204, again 204), lists with the name, unblocks (204, again 204)", async () => {
    const [ann, bob] = await Promise.all([signUp(server, "ann"), signUp(server, "bob")]);
    expect((await block(ann, bob.id)).status).toBe(204);
    expect((await block(ann, bob.id)).status).toBe(204);
    const listed = await blocksOf(ann);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ blocks: [{ userId: bob.id, username: bob.username, blockedAt: expect.any(String) }] });
    expect((await blocksOf(bob)).body).toEqual({ blocks: [] });
    const stored = (await server.handoff.store.readAll()).filter((event) => event.type === "UserBlocked");
    expect(stored.map((event) => event.data)).toContainEqual({ userId: ann.id, blockedUserId: bob.id, blockedAt: expect.any(String) });
    expect(stored.filter((event) => (event.data as { userId: string }).userId === ann.id)).toHaveLength(1);

    expect((await unblock(ann, bob.id)).status).toBe(204);
    expect((await unblock(ann, bob.id)).status).toBe(204);
    expect((await blocksOf(ann)).body).toEqual({ blocks: [] });
  });

  it("refuses blocking oneself (422), an unknown user and a malformed id (404), and no credentials (401)", async () => {
    const ann = await signUp(server, "ann");
    expectError(await block(ann, ann.id), 422, "cannot_block_self");
    expectError(await block(ann, randomUUID()), 404, "not_found");
    expectError(await block(ann, "not-an-id"), 404, "not_found");
    expectError(await unblock(ann, ann.id.toUpperCase()), 404, "not_found");
    expectError(await request(server.url).put(`/api/me/blocks/${ann.id}`), 401, "unauthenticated");
    expectError(await request(server.url).get("/api/me/blocks"), 401, "unauthenticated");
  });
});

describe("what a block refuses", () => {
  it("the blocked winner cannot send to the giver (403 blocked) at once; the giver still can; history stays readable to both; unblocking lifts it", async () => {
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    await send(server, winner, giveawayId, "before the block");
    expect((await block(giver, winner.id)).status).toBe(204);
    const refused = await request(server.url).post(`/api/giveaways/${giveawayId}/messages`).set(winner.auth).send({ content: "pay 5 EUR first" });
    expectError(refused, 403, "blocked");
    expect(refused.body.error.message).not.toContain(giver.username);
    await send(server, giver, giveawayId, "the giver still writes");
    for (const reader of [giver, winner]) {
      const read = await request(server.url).get(`/api/giveaways/${giveawayId}/messages?after=-1`).set(reader.auth);
      expect(read.status).toBe(200);
      expect(read.body.messages.map((message: { content: string }) => message.content)).toEqual(["before the block", "the giver still writes"]);
    }
    expect((await unblock(giver, winner.id)).status).toBe(204);
    await send(server, winner, giveawayId, "after the unblock");
  });

  it("a block holds in every conversation between the two", async () => {
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    const second = await createGiveaway(server, winner, "A lamp");
    expect((await request(server.url).post(`/api/giveaways/${second}/entries`).set(giver.auth)).status).toBe(201);
    expect((await request(server.url).post(`/api/giveaways/${second}/draw`).set(winner.auth)).status).toBe(200);
    expect((await block(winner, giver.id)).status).toBe(204);
    for (const id of [giveawayId, second]) {
      expectError(await request(server.url).post(`/api/giveaways/${id}/messages`).set(giver.auth).send({ content: "hello?" }), 403, "blocked");
    }
  });

  it("the blocked user cannot enter the blocker's giveaways (403 blocked), but others' they can", async () => {
    const [ann, bob, carl] = await Promise.all([signUp(server, "ann"), signUp(server, "bob"), signUp(server, "carl")]);
    const annsGiveaway = await createGiveaway(server, ann, "A chair");
    const carlsGiveaway = await createGiveaway(server, carl, "A table");
    expect((await block(ann, bob.id)).status).toBe(204);
    expectError(await request(server.url).post(`/api/giveaways/${annsGiveaway}/entries`).set(bob.auth), 403, "blocked");
    expect((await request(server.url).post(`/api/giveaways/${carlsGiveaway}/entries`).set(bob.auth)).status).toBe(201);
  });

  it("the platform naming a blocked user as entrant of the blocker's giveaway gets 409 user_blocked", async () => {
    const key = await server.handoff.serviceKeys.create(`shop${process.pid}`);
    const platform = (method: "put", path: string, body?: object) => {
      const req = request(server.url)[method](`/api/platform${path}`).set("Authorization", `Bearer ${key}`).set("Idempotency-Key", randomUUID());
      return body ? req.send(body) : req;
    };
    const giverSub = `giver-${randomUUID().slice(0, 8)}`;
    const entrantSub = `entrant-${randomUUID().slice(0, 8)}`;
    const platformId = `g-${randomUUID().slice(0, 8)}`;
    expect((await platform("put", `/giveaways/${platformId}`, { title: "A bike", giverId: giverSub })).status).toBe(201);
    const context = { actorId: "test", correlationId: randomUUID(), causationId: randomUUID() };
    expect(await server.handoff.blocks.change(platformUserId(giverSub), platformUserId(entrantSub), true, context)).toEqual({ ok: true });
    expect(await untilReadModelShows(() => server.handoff.queries.hasBlocked(platformUserId(giverSub), platformUserId(entrantSub)))).toBe(true);
    expectError(await platform("put", `/giveaways/${platformId}/entrants/${entrantSub}`), 409, "user_blocked");
    expect((await platform("put", `/giveaways/${platformId}/entrants/other-${entrantSub}`)).status).toBe(201);
  });
});

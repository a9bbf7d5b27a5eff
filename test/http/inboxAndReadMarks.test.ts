// GET /api/inbox and POST /api/giveaways/:id/read: exact unread counts, moved by read marks.
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, expectError, send, type SignedInUser } from "./apiFixtures.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function inbox(user: SignedInUser) {
  const response = await request(server.url).get("/api/inbox").set(user.auth);
  expect(response.status).toBe(200);
  return response.body as { conversations: { giveawayId: string; unreadCount: number; otherUsername: string; lastReadRevision: number }[]; unreadTotal: number };
}

describe("inbox and read marks", () => {
  it("counts the other side's messages as unread, exactly, until read up to them", async () => {
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    expect((await inbox(winner)).conversations).toEqual([expect.objectContaining({ giveawayId, unreadCount: 0, otherUsername: giver.username })]);

    const first = await send(server, giver, giveawayId, "one");
    await send(server, giver, giveawayId, "two");
    const third = await send(server, giver, giveawayId, "three");
    expect((await inbox(winner)).conversations[0]!.unreadCount).toBe(3);
    expect((await inbox(winner)).unreadTotal).toBe(3);
    expect((await inbox(giver)).conversations[0]!.unreadCount).toBe(0); // one's own messages are never unread

    const read = await request(server.url).post(`/api/giveaways/${giveawayId}/read`).set(winner.auth).send({ revision: first.revision });
    expect(read.status).toBe(204);
    expect(read.text).toBe("");
    expect((await inbox(winner)).conversations[0]!.unreadCount).toBe(2);

    // An older mark changes nothing; a mark beyond the newest is clamped to it.
    await request(server.url).post(`/api/giveaways/${giveawayId}/read`).set(winner.auth).send({ revision: 0 }).expect(204);
    expect((await inbox(winner)).conversations[0]!.unreadCount).toBe(2);
    await request(server.url).post(`/api/giveaways/${giveawayId}/read`).set(winner.auth).send({ revision: 1_000_000 }).expect(204);
    const after = await inbox(winner);
    expect(after.conversations[0]!.unreadCount).toBe(0);
    expect(after.conversations[0]!.lastReadRevision).toBeGreaterThanOrEqual(third.revision);
    expect(after.conversations[0]!.lastReadRevision).toBeLessThanOrEqual(server.handoff.readYourWrites.appliedRevision(giveawayId));
    expect(after.unreadTotal).toBe(0);

    // So the next message counts again.
    await send(server, giver, giveawayId, "four");
    expect((await inbox(winner)).conversations[0]!.unreadCount).toBe(1);
  });

  it("refuses a bad revision (422), outsiders (403), unknown giveaways (404), anonymous callers (401)", async () => {
    const { giveawayId, giver, outsider } = await drawnGiveaway(server);
    const url = `/api/giveaways/${giveawayId}/read`;
    expectError(await request(server.url).post(url).set(giver.auth).send({ revision: -1 }), 422, "invalid_field");
    expectError(await request(server.url).post(url).set(giver.auth).send({ revision: "3" }), 422, "invalid_field");
    expectError(await request(server.url).post(url).set(giver.auth).send({}), 422, "invalid_field");
    expectError(await request(server.url).post(url).set(outsider.auth).send({ revision: 1 }), 403, "not_participant");
    expectError(await request(server.url).post(`/api/giveaways/${randomUUID()}/read`).set(giver.auth).send({ revision: 1 }), 404, "giveaway_not_found");
    expectError(await request(server.url).post(url).send({ revision: 1 }), 401, "unauthenticated");
    expectError(await request(server.url).get("/api/inbox"), 401, "unauthenticated");
    expect((await inbox(outsider)).conversations).toEqual([]);
  });
});

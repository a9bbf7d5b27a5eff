// Reports over the API on a real server: POST /api/giveaways/:id/reports from each kind of
// participant, with and without a block, every refusal, and the moderators' queue (openReports).
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, expectError, send, signUp, type SignedInUser } from "./apiFixtures.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const report = (as: SignedInUser | undefined, giveawayId: string, body: unknown) => {
  const req = request(server.url).post(`/api/giveaways/${giveawayId}/reports`);
  return (as ? req.set(as.auth) : req).send(body as object);
};

describe("POST /api/giveaways/:id/reports", () => {
  it("the giver reports the winner's message (201), at the revision it was filed; the queue shows it", async () => {
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    const scam = await send(server, winner, giveawayId, "pay 5 EUR delivery fee first");
    const filed = await report(giver, giveawayId, { messageId: scam.id, reason: "scam", note: "asks for money" });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const expected = {
      id: expect.any(String), giveawayId, reporterId: giver.id, reportedUserId: winner.id, reason: "scam", note: "asks for money",
      messageId: scam.id, atRevision: scam.revision, filedAt: expect.any(String), status: "open", blocked: false,
    };
    expect(filed.body).toEqual(expected);
    const { blocked: _blocked, ...queued } = expected;
    expect(server.handoff.queries.openReports()).toContainEqual({ ...queued, id: filed.body.id });
    const stored = (await server.handoff.store.readAll()).find((event) => event.type === "ReportFiled" && (event.data as { reportId: string }).reportId === filed.body.id);
    expect(Number(stored?.revision)).toBe(scam.revision + 1);
  });

  it("the winner reports the conversation, and blocks the giver in the same step", async () => {
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    const filed = await report(winner, giveawayId, { reason: "harassment", block: true });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({ reporterId: winner.id, reportedUserId: giver.id, reason: "harassment", note: null, messageId: null, blocked: true });
    expect((await request(server.url).get("/api/me/blocks").set(winner.auth)).body.blocks).toEqual([{ userId: giver.id, username: giver.username, blockedAt: expect.any(String) }]);
    expectError(await request(server.url).post(`/api/giveaways/${giveawayId}/messages`).set(giver.auth).send({ content: "hello?" }), 403, "blocked");
  });

  it("a former winner reports their own round's conversation", async () => {
    const [giver, winner, other] = await Promise.all([signUp(server, "giver"), signUp(server, "winner"), signUp(server, "second")]);
    // Two entrants: the first winner declines, the giver redraws the other.
    const id = (await request(server.url).post("/api/giveaways").set(giver.auth).send({ title: "A desk" })).body.id as string;
    for (const entrant of [winner, other]) expect((await request(server.url).post(`/api/giveaways/${id}/entries`).set(entrant.auth)).status).toBe(201);
    const drawn = await request(server.url).post(`/api/giveaways/${id}/draw`).set(giver.auth);
    const first = drawn.body.winnerId === winner.id ? winner : other;
    const message = await send(server, giver, id, "when can you come?");
    const declined = await request(server.url).post(`/api/giveaways/${id}/decline`).set(first.auth).send({});
    expect(declined.status, JSON.stringify(declined.body)).toBeLessThan(300);
    const redrawn = await request(server.url).post(`/api/giveaways/${id}/redraw`).set(giver.auth).send({});
    expect(redrawn.status, JSON.stringify(redrawn.body)).toBeLessThan(300);
    const filed = await report(first, id, { messageId: message.id, reason: "other", note: "rude" });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({ reporterId: first.id, reportedUserId: giver.id, messageId: message.id });
  });

  it("refuses one's own message (422), a stranger (403), no such message or giveaway (404), bad fields (422), no credentials (401)", async () => {
    const { giveawayId, giver, winner, outsider } = await drawnGiveaway(server);
    const own = await send(server, winner, giveawayId, "hello");
    expectError(await report(winner, giveawayId, { messageId: own.id, reason: "spam" }), 422, "not_reportable");
    expectError(await report(outsider, giveawayId, { reason: "spam" }), 403, "not_participant");
    expectError(await report(giver, giveawayId, { messageId: randomUUID(), reason: "spam" }), 404, "message_not_found");
    expectError(await report(giver, randomUUID(), { reason: "spam" }), 404, "giveaway_not_found");
    expectError(await report(giver, "nope", { reason: "spam" }), 404, "giveaway_not_found");
    expectError(await report(giver, giveawayId, { reason: "rude" }), 422, "invalid_field");
    expectError(await report(giver, giveawayId, {}), 422, "invalid_field");
    expectError(await report(giver, giveawayId, { reason: "spam", messageId: "x" }), 422, "invalid_field");
    expectError(await report(giver, giveawayId, { reason: "spam", note: "x".repeat(1001) }), 422, "invalid_note");
    expectError(await report(undefined, giveawayId, { reason: "spam" }), 401, "unauthenticated");
    const stored = (await server.handoff.store.readAll()).filter((event) => event.type === "ReportFiled" && event.streamId === `giveaway-${giveawayId}`);
    expect(stored).toEqual([]);
  });
});

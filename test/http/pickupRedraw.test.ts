// No-shows and redraws over HTTP, with three entrants and the server's clock moved by the test.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { expectError, send, type SignedInUser } from "./apiFixtures.ts";
import { drawnAmong, hour, movableClock } from "./pickupFixtures.ts";

const clock = movableClock();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ overrides: { now: clock.now, pick: () => 0 }, env: { PICKUP_NO_SHOW_SECONDS: String(48 * 3600) } });
});
afterAll(() => server.close());

const api = () => request(server.url);
const contents = async (user: SignedInUser, giveawayId: string) => {
  const read = await api().get(`/api/giveaways/${giveawayId}/messages`).set(user.auth);
  expect(read.status, JSON.stringify(read.body)).toBe(200);
  return read.body.messages.map((m: { content: string }) => m.content);
};

describe("no-show and redraw", () => {
  it("a silent winner is replaced after the no-show time; each winner sees only their conversation, the giver both", async () => {
    const { giveawayId, giver, entrants, outsider } = await drawnAmong(server, 3);
    const [first, second] = entrants as [SignedInUser, SignedInUser, SignedInUser];
    const base = `/api/giveaways/${giveawayId}`;
    await send(server, giver, giveawayId, "Hello first winner?");
    expectError(await api().post(`${base}/redraw`).set(giver.auth), 409, "redraw_not_allowed");
    expectError(await api().post(`${base}/redraw`).set(first.auth), 403, "not_giver");
    clock.advance(47 * hour);
    expectError(await api().post(`${base}/redraw`).set(giver.auth), 409, "redraw_not_allowed");
    clock.advance(hour);
    const redrawn = await api().post(`${base}/redraw`).set(giver.auth).send({ replacing: first.id });
    expect(redrawn.status).toBe(200);
    expect(redrawn.body).toMatchObject({ winnerId: second.id, winnerName: second.username, previousWinnerId: first.id });
    // The same request again (a retry naming the replaced winner) changes nothing.
    const retried = await api().post(`${base}/redraw`).set(giver.auth).send({ replacing: first.id });
    expect(retried.body.winnerId).toBe(second.id);

    await send(server, giver, giveawayId, "Hello second winner!");
    await send(server, second, giveawayId, "Hi, I am here");
    expect(await contents(second, giveawayId)).toEqual(["Hello second winner!", "Hi, I am here"]);
    expect(await contents(first, giveawayId)).toEqual(["Hello first winner?"]);
    expect(await contents(giver, giveawayId)).toEqual(["Hello first winner?", "Hello second winner!", "Hi, I am here"]);
    expectError(await api().post(`${base}/messages`).set(first.auth).send({ content: "wait, me!" }), 403, "not_participant");
    expectError(await api().get(`${base}/messages`).set(outsider.auth), 403, "not_participant");
    expectError(await api().get(`${base}/messages`).set(entrants[2]!.auth), 403, "not_participant");

    // The giver's inbox faces the new winner; the former winner's row stays, without new unread messages.
    const firstInbox = await api().get("/api/inbox").set(first.auth);
    expect(firstInbox.body.conversations).toEqual([expect.objectContaining({ giveawayId, lastMessagePreview: "Hello first winner?" })]);
    expect(firstInbox.body.unreadTotal).toBe(1);
    const giverInbox = await api().get("/api/inbox").set(giver.auth);
    expect(giverInbox.body.conversations.find((c: { giveawayId: string }) => c.giveawayId === giveawayId).otherUserId).toBe(second.id);
    const secondInbox = await api().get("/api/inbox").set(second.auth);
    expect(secondInbox.body.conversations).toEqual([expect.objectContaining({ giveawayId, lastMessagePreview: "Hi, I am here" })]);

    // The former winner keeps read access (and read marks); the pickup details are no longer theirs.
    const readMark = await api().post(`${base}/read`).set(first.auth).send({ revision: 100 });
    expect(readMark.status).toBe(204);
    expect((await api().get(base).set(first.auth)).body).toMatchObject({ winnerId: second.id, pickup: null, handover: null });
    expect((await api().get(base).set(second.auth)).body).toMatchObject({ status: "drawn", handover: { handedOverAt: null } });

    // The second winner answered, so no no-show redraw; declining the prize allows one at once.
    clock.advance(100 * hour);
    expectError(await api().post(`${base}/redraw`).set(giver.auth), 409, "redraw_not_allowed");
    const declined = await api().post(`${base}/decline`).set(second.auth);
    expect(declined.body).toMatchObject({ prizeDeclinedAt: expect.any(String) });
    const third = await api().post(`${base}/redraw`).set(giver.auth);
    expect(third.body).toMatchObject({ winnerId: entrants[2]!.id, previousWinnerId: second.id });
    const events = await api().get(`/api/giveaways/${giveawayId}/events`).set(giver.auth);
    expect(events.status).toBe(200);

    clock.advance(49 * hour);
    expectError(await api().post(`${base}/redraw`).set(giver.auth), 409, "no_entrants_left");
  });
});

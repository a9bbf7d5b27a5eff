// GET /api/me/stream: a user's notifications (draw won, new message, unread counts) on a real server.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { createGiveaway, drawnGiveaway, send, signUp, type SignedInUser } from "./apiFixtures.ts";
import { connectSse, type SseConnection, type SseFrame } from "../support/sseClient.ts";

let server: TestServer;
const open: SseConnection[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await server.close();
});

async function userStream(user: SignedInUser | Record<string, string>): Promise<SseConnection> {
  const connection = await connectSse(`${server.url}/api/me/stream`, "auth" in user ? (user as SignedInUser).auth : (user as Record<string, string>));
  open.push(connection);
  return connection;
}

const ofKind = (events: SseFrame[], kind: string) => events.filter((event) => event.event === kind).map((event) => JSON.parse(event.data));

describe("the user's notification stream", () => {
  it("tells the winner of the draw, of messages, and of unread counts as they change", async () => {
    const [giver, entrant] = await Promise.all([signUp(server, "giver"), signUp(server, "entrant")]);
    const giveawayId = await createGiveaway(server, giver, "Bicycle");
    await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(entrant.auth).expect(201);
    const notifications = await userStream(entrant);
    expect(notifications.status).toBe(200);

    await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(giver.auth).expect(200);
    await expect.poll(() => ofKind(notifications.events, "draw_won")).toHaveLength(1);
    expect(ofKind(notifications.events, "draw_won")[0]).toMatchObject({ giveawayId, title: "Bicycle", drawnAt: expect.any(String) });

    const message = await send(server, giver, giveawayId, "Congratulations!");
    await expect.poll(() => ofKind(notifications.events, "unread")).toHaveLength(1);
    expect(ofKind(notifications.events, "message")).toEqual([message]);
    expect(ofKind(notifications.events, "unread")[0]).toEqual({ giveawayId, unreadCount: 1, unreadTotal: 1 });

    await request(server.url).post(`/api/giveaways/${giveawayId}/read`).set(entrant.auth).send({ revision: message.revision }).expect(204);
    await expect.poll(() => ofKind(notifications.events, "unread")).toHaveLength(2);
    expect(ofKind(notifications.events, "unread")[1]).toEqual({ giveawayId, unreadCount: 0, unreadTotal: 0 });
  });

  it("tells the giver when someone enters their giveaway", async () => {
    const [giver, entrant] = await Promise.all([signUp(server, "giver2"), signUp(server, "entrant2")]);
    const giveawayId = await createGiveaway(server, giver, "Rug");
    const notifications = await userStream(giver);
    await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(entrant.auth).expect(201);
    await expect.poll(() => ofKind(notifications.events, "entered")).toHaveLength(1);
    expect(ofKind(notifications.events, "entered")[0]).toEqual({ giveawayId, revision: expect.any(Number) });
  });

  it("starts with the current unread count of each conversation", async () => {
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    await send(server, giver, giveawayId, "one");
    await send(server, giver, giveawayId, "two");
    const notifications = await userStream(winner);
    await expect.poll(() => ofKind(notifications.events, "unread")).toHaveLength(1);
    expect(ofKind(notifications.events, "unread")[0]).toEqual({ giveawayId, unreadCount: 2, unreadTotal: 2 });
  });

  it("tells nobody else", async () => {
    const { giveawayId, giver, outsider } = await drawnGiveaway(server);
    const notifications = await userStream(outsider);
    await send(server, giver, giveawayId, "private");
    // Then something for the outsider: anything meant for others would have come before it.
    const otherGiveaway = await createGiveaway(server, giver, "Lamp");
    await request(server.url).post(`/api/giveaways/${otherGiveaway}/entries`).set(outsider.auth).expect(201);
    await request(server.url).post(`/api/giveaways/${otherGiveaway}/draw`).set(giver.auth).expect(200);
    await expect.poll(() => notifications.events.length).toBeGreaterThan(0);
    expect(notifications.events.map((event) => [event.event, JSON.parse(event.data).giveawayId])).toEqual([["draw_won", otherGiveaway]]);
  });

  it("refuses anonymous callers with a JSON 401", async () => {
    const connection = await userStream({});
    expect(connection.status).toBe(401);
    expect(connection.body).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
  });
});

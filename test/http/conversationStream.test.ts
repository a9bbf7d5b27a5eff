// GET /api/giveaways/:id/stream on a real server: live messages, presence, heartbeat, and refusals as JSON.
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionCookieName } from "../../src/http/authentication.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { createGiveaway, drawnGiveaway, send, signUp, type Conversation } from "./apiFixtures.ts";
import { connectSse, messagesIn, type SseConnection } from "../support/sseClient.ts";

let server: TestServer;
let talk: Conversation;
const open: SseConnection[] = [];
beforeAll(async () => {
  server = await startTestServer({ env: { SSE_HEARTBEAT_MS: "100" } });
  talk = await drawnGiveaway(server);
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await server.close();
});

async function stream(headers: Record<string, string>, query = "", giveawayId = talk.giveawayId): Promise<SseConnection> {
  const connection = await connectSse(`${server.url}/api/giveaways/${giveawayId}/stream${query}`, headers);
  open.push(connection);
  return connection;
}

describe("conversation stream", () => {
  it("delivers messages as they are sent: id = revision, event message, data = the message", async () => {
    const before = await send(server, talk.winner, talk.giveawayId, "sent before connecting");
    const giverStream = await stream(talk.giver.auth);
    expect(giverStream.status).toBe(200);
    expect(giverStream.headers["content-type"]).toMatch(/^text\/event-stream/);

    const sent = [];
    for (const content of ["first", "second\nline", "third"]) sent.push(await send(server, talk.winner, talk.giveawayId, content));
    await expect.poll(() => messagesIn(giverStream.events)).toHaveLength(3);
    const frames = giverStream.events.filter((event) => event.event === "message");
    expect(frames.map((frame) => frame.id)).toEqual(sent.map((message) => String(message.revision)));
    expect(frames.map((frame) => JSON.parse(frame.data))).toEqual(sent);
    // Without Last-Event-ID or ?after, only new messages come.
    expect(messagesIn(giverStream.events).map((m) => m.id)).not.toContain(before.id);
    expect(giverStream.retry).toBeGreaterThan(0);
    giverStream.close();
  });

  it("sends a message from history exactly as it was sent live (the same fields, nothing of the timeline's)", async () => {
    const live = await stream(talk.giver.auth);
    const sent = await send(server, talk.winner, talk.giveawayId, "the same frame twice");
    await expect.poll(() => messagesIn(live.events).some((m) => m.id === sent.id)).toBe(true);
    const replayed = await stream(talk.giver.auth, `?after=${sent.revision - 1}`);
    await expect.poll(() => messagesIn(replayed.events).some((m) => m.id === sent.id)).toBe(true);
    const frameOf = (connection: SseConnection) => connection.events.find((e) => e.event === "message" && JSON.parse(e.data).id === sent.id)!;
    expect(frameOf(replayed).data).toBe(frameOf(live).data);
    expect(JSON.parse(frameOf(replayed).data)).toEqual(sent);
    live.close();
    replayed.close();
  });

  it("sends heartbeat comments", async () => {
    const connection = await stream(talk.winner.auth);
    await expect.poll(() => connection.comments.filter((comment) => comment.includes("heartbeat")).length).toBeGreaterThan(0);
    connection.close();
  });

  it("shows the other participant coming online and going offline", async () => {
    // A conversation of its own: the other tests' connections cannot be closing in the background.
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    const giverStream = await stream(giver.auth, "", giveawayId);
    const presence = () => giverStream.events.filter((event) => event.event === "presence").map((event) => JSON.parse(event.data));
    await expect.poll(() => presence()).toHaveLength(1);
    // Never seen and never active here: no "last seen" to show.
    expect(presence()[0]).toEqual({ userId: winner.id, online: false, lastSeenAt: null });
    expect(giverStream.events[0]!.id).toBeUndefined();

    const winnerStream = await stream(winner.auth, "", giveawayId);
    await expect.poll(() => winnerStream.events.some((event) => event.event === "presence")).toBe(true);
    expect(JSON.parse(winnerStream.events.find((event) => event.event === "presence")!.data)).toEqual({
      userId: giver.id,
      online: true,
      lastSeenAt: expect.any(String),
    });
    await expect.poll(() => presence()).toHaveLength(2);
    expect(presence()[1]).toEqual({ userId: winner.id, online: true, lastSeenAt: expect.any(String) });
    const connectedAt = Date.parse(presence()[1].lastSeenAt);

    winnerStream.close();
    await expect.poll(() => presence()).toHaveLength(3);
    expect(presence()[2]).toEqual({ userId: winner.id, online: false, lastSeenAt: expect.any(String) });
    // "Last seen" is when their last connection closed.
    expect(Date.parse(presence()[2].lastSeenAt)).toBeGreaterThanOrEqual(connectedAt);
    // Nobody is told about their own presence.
    expect(presence().every((p) => p.userId !== giver.id)).toBe(true);
    giverStream.close();
  });

  it("accepts the session cookie (the browser's EventSource)", async () => {
    const connection = await stream({ Cookie: `${sessionCookieName}=${talk.winner.token}` }, "?after=-1");
    expect(connection.status).toBe(200);
    await expect.poll(() => messagesIn(connection.events).length).toBeGreaterThan(0);
    connection.close();
  });

  it("refuses before the stream starts, with the API's JSON errors", async () => {
    const expectRefusal = async (connection: SseConnection, status: number, code: string) => {
      expect(connection.status).toBe(status);
      expect(connection.headers["content-type"]).toMatch(/^application\/json/);
      expect(connection.body).toEqual({ error: { code, message: expect.any(String) } });
    };
    await expectRefusal(await stream({}), 401, "unauthenticated");
    await expectRefusal(await stream({ Authorization: "Bearer nonsense" }), 401, "invalid_token");
    await expectRefusal(await stream(talk.outsider.auth), 403, "not_participant");
    await expectRefusal(await stream(talk.giver.auth, "", randomUUID()), 404, "giveaway_not_found");
    await expectRefusal(await stream(talk.giver.auth, "?after=soon"), 422, "invalid_resume_point");
    await expectRefusal(await stream({ ...talk.giver.auth, "Last-Event-ID": "-7" }), 422, "invalid_resume_point");
    // Beyond the stream's head: a clear 409, never a silent stream.
    await expectRefusal(await stream(talk.giver.auth, "?after=999999"), 409, "resume_point_ahead");
    await expectRefusal(await stream({ ...talk.giver.auth, "Last-Event-ID": "999999" }), 409, "resume_point_ahead");

    const [giver, entrant] = await Promise.all([signUp(server, "giver"), signUp(server, "entrant")]);
    const openGiveaway = await createGiveaway(server, giver);
    await request(server.url).post(`/api/giveaways/${openGiveaway}/entries`).set(entrant.auth).expect(201);
    await expectRefusal(await stream(giver.auth, "", openGiveaway), 409, "conversation_closed");
  });
});

// Read receipts, paging back, reactions, edits, retractions, replies, typing and mute over the
// real API and its stream (id = revision for durable frames, none for typing).
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, expectError, send, type Conversation } from "./apiFixtures.ts";
import { connectSse, type SseConnection, type SseFrame } from "../support/sseClient.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const api = (path: string) => `/api/giveaways/${path}`;
const openStream = (talk: Conversation, who: "giver" | "winner", headers: Record<string, string> = {}) =>
  connectSse(`${server.url}${api(`${talk.giveawayId}/stream`)}`, { ...talk[who].auth, ...headers });
const framesOf = (stream: SseConnection, kind: string) => stream.events.filter((event) => event.event === kind);
/** Waits (polling, no fixed sleep) until the frames so far satisfy `predicate`; answers them. */
async function until(stream: SseConnection, predicate: (events: SseFrame[]) => boolean): Promise<SseFrame[]> {
  await expect.poll(() => predicate(stream.events), { timeout: 10_000 }).toBe(true);
  return stream.events;
}

describe("read receipts", () => {
  it("message lists carry readUpTo for both participants; the stream sends event: read with id = revision", async () => {
    const talk = await drawnGiveaway(server);
    const { giveawayId, giver, winner } = talk;
    const giverStream = await openStream(talk, "giver");
    const first = await send(server, giver, giveawayId, "Address: 1 Main St");
    const listed = await request(server.url).get(api(`${giveawayId}/messages`)).set(winner.auth);
    expect(listed.status).toBe(200);
    // Sending reads everything before it; the winner has read up to the draw.
    expect(listed.body.readUpTo).toEqual({ [giver.id]: first.revision, [winner.id]: first.revision - 1 });

    await request(server.url).post(api(`${giveawayId}/read`)).set(winner.auth).send({ revision: first.revision }).expect(204);
    const frame = (await until(giverStream, (events) => events.some((e) => e.event === "read"))).find((e) => e.event === "read")!;
    expect(JSON.parse(frame.data)).toEqual({ userId: winner.id, upToRevision: first.revision, readAt: expect.any(String) });
    expect(Number(frame.id)).toBe(first.revision + 1);
    const after = await request(server.url).get(api(`${giveawayId}/messages`)).set(giver.auth);
    expect(after.body.readUpTo[winner.id]).toBe(first.revision);
    giverStream.close();
  });
});

describe("paging back", () => {
  it("before=<revision> loads older messages back to the first, oldest first, each once", async () => {
    const { giveawayId, giver } = await drawnGiveaway(server);
    const sent = [];
    for (let i = 0; i < 7; i++) sent.push(await send(server, giver, giveawayId, `m${i}`));
    const newest = await request(server.url).get(api(`${giveawayId}/messages?limit=3`)).set(giver.auth);
    expect(newest.body.messages.map((m: { content: string }) => m.content)).toEqual(["m4", "m5", "m6"]);
    const seen: string[] = newest.body.messages.map((m: { content: string }) => m.content);
    let before = newest.body.messages[0].revision;
    for (;;) {
      const page = await request(server.url).get(api(`${giveawayId}/messages?before=${before}&limit=3`)).set(giver.auth);
      expect(page.status).toBe(200);
      if (page.body.messages.length === 0) break;
      seen.unshift(...page.body.messages.map((m: { content: string }) => m.content));
      before = page.body.messages[0].revision;
    }
    expect(seen).toEqual(sent.map((m) => m.content));
    expectError(await request(server.url).get(api(`${giveawayId}/messages?before=3&after=1`)).set(giver.auth), 422, "invalid_field");
    expectError(await request(server.url).get(api(`${giveawayId}/messages?before=-1`)).set(giver.auth), 422, "invalid_field");
  });
});

describe("reactions", () => {
  it("PUT and DELETE are idempotent 204s, shown on the message and sent live as event: reaction", async () => {
    const talk = await drawnGiveaway(server);
    const { giveawayId, giver, winner, outsider } = talk;
    const message = await send(server, giver, giveawayId, "Saturday?");
    const winnerStream = await openStream(talk, "winner");
    const url = api(`${giveawayId}/messages/${message.id}/reactions/${encodeURIComponent("👍")}`);
    for (let i = 0; i < 2; i++) {
      const put = await request(server.url).put(url).set(winner.auth);
      expect(put.status).toBe(204);
    }
    const listed = await request(server.url).get(api(`${giveawayId}/messages`)).set(giver.auth);
    expect(listed.body.messages[0].reactions).toEqual({ "👍": [winner.id] });
    await until(winnerStream, (events) => events.some((e) => e.event === "reaction"));
    const frame = framesOf(winnerStream, "reaction")[0]!;
    expect(JSON.parse(frame.data)).toEqual({ messageId: message.id, userId: winner.id, emoji: "👍", reacted: true });
    expect(Number(frame.id)).toBe(message.revision + 1);

    await request(server.url).delete(url).set(winner.auth).expect(204);
    await request(server.url).delete(url).set(winner.auth).expect(204);
    const after = await request(server.url).get(api(`${giveawayId}/messages`)).set(giver.auth);
    expect(after.body.messages[0].reactions).toEqual({});
    await until(winnerStream, () => framesOf(winnerStream, "reaction").length === 2);
    expect(JSON.parse(framesOf(winnerStream, "reaction")[1]!.data)).toMatchObject({ reacted: false });

    expectError(await request(server.url).put(api(`${giveawayId}/messages/${message.id}/reactions/x`)).set(winner.auth), 422, "invalid_emoji");
    expectError(await request(server.url).put(api(`${giveawayId}/messages/${randomUUID()}/reactions/%F0%9F%91%8D`)).set(winner.auth), 404, "message_not_found");
    expectError(await request(server.url).put(api(`${giveawayId}/messages/nope/reactions/%F0%9F%91%8D`)).set(winner.auth), 404, "message_not_found");
    expectError(await request(server.url).put(url).set(outsider.auth), 403, "not_participant");
    winnerStream.close();
  });
});

describe("edit and retract", () => {
  it("PATCH answers the message with editedAt; DELETE removes it for both; both go out live; only the sender may", async () => {
    const talk = await drawnGiveaway(server);
    const { giveawayId, giver, winner } = talk;
    const message = await send(server, giver, giveawayId, "Address: 1 Main St");
    const winnerStream = await openStream(talk, "winner");
    const patched = await request(server.url).patch(api(`${giveawayId}/messages/${message.id}`)).set(giver.auth).send({ content: "Address: 2 Main St" });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: message.id, content: "Address: 2 Main St", revision: message.revision, editedAt: expect.any(String) });
    await until(winnerStream, (events) => events.some((e) => e.event === "message-edited"));
    expect(JSON.parse(framesOf(winnerStream, "message-edited")[0]!.data)).toMatchObject({ id: message.id, content: "Address: 2 Main St" });

    expectError(await request(server.url).patch(api(`${giveawayId}/messages/${message.id}`)).set(winner.auth).send({ content: "mine now" }), 403, "not_sender");
    expectError(await request(server.url).delete(api(`${giveawayId}/messages/${message.id}`)).set(winner.auth), 403, "not_sender");
    expectError(await request(server.url).patch(api(`${giveawayId}/messages/${message.id}`)).set(giver.auth).send({ content: " " }), 422, "invalid_content");

    await request(server.url).delete(api(`${giveawayId}/messages/${message.id}`)).set(giver.auth).expect(204);
    await request(server.url).delete(api(`${giveawayId}/messages/${message.id}`)).set(giver.auth).expect(204);
    const listed = await request(server.url).get(api(`${giveawayId}/messages`)).set(winner.auth);
    expect(listed.body.messages[0]).toMatchObject({ id: message.id, content: "", retractedAt: expect.any(String) });
    await until(winnerStream, (events) => events.some((e) => e.event === "message-retracted"));
    expect(JSON.parse(framesOf(winnerStream, "message-retracted")[0]!.data)).toMatchObject({ id: message.id, content: "" });
    expectError(await request(server.url).patch(api(`${giveawayId}/messages/${message.id}`)).set(giver.auth).send({ content: "back" }), 409, "message_retracted");

    // A client resuming from before the edit gets every durable frame after it, in order, and never the removed text.
    const resumed = await openStream(talk, "winner", { "Last-Event-ID": String(message.revision - 1) });
    await until(resumed, (events) => events.some((e) => e.event === "message-retracted"));
    const durable = resumed.events.filter((e) => e.id !== undefined);
    expect(durable.map((e) => e.event)).toEqual(["message", "message-edited", "message-retracted"]);
    expect(durable.map((e) => Number(e.id))).toEqual([message.revision, message.revision + 1, message.revision + 2]);
    expect(resumed.events.map((e) => e.data).join("\n")).not.toContain("Main St");
    resumed.close();
    winnerStream.close();
  });

  it("closes after the configured window (EDIT_WINDOW_SECONDS)", async () => {
    // Real time plus what the test moved it by (tokens are checked against real time); the clock
    // stands still between moves, so the window's edge is hit exactly.
    let clock = new Date();
    const timed = await startTestServer({ env: { EDIT_WINDOW_SECONDS: "60" }, overrides: { now: () => clock } });
    try {
      const { giveawayId, giver } = await drawnGiveaway(timed);
      const message = await send(timed, giver, giveawayId, "hello");
      clock = new Date(clock.getTime() + 60_000);
      await request(timed.url).patch(api(`${giveawayId}/messages/${message.id}`)).set(giver.auth).send({ content: "hello!" }).expect(200);
      clock = new Date(clock.getTime() + 1);
      expectError(await request(timed.url).patch(api(`${giveawayId}/messages/${message.id}`)).set(giver.auth).send({ content: "hi" }), 409, "edit_window_closed");
      expectError(await request(timed.url).delete(api(`${giveawayId}/messages/${message.id}`)).set(giver.auth), 409, "edit_window_closed");
    } finally {
      await timed.close();
    }
  });
});

describe("replies", () => {
  it("a message may quote one of this conversation; anything else is 422", async () => {
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    const other = await drawnGiveaway(server);
    const quoted = await send(server, giver, giveawayId, "Saturday?");
    const reply = await request(server.url).post(api(`${giveawayId}/messages`)).set(winner.auth).send({ content: "Yes", replyTo: quoted.id });
    expect(reply.status).toBe(201);
    expect(reply.body.replyTo).toBe(quoted.id);
    const elsewhere = await send(server, other.giver, other.giveawayId, "not here");
    expectError(await request(server.url).post(api(`${giveawayId}/messages`)).set(winner.auth).send({ content: "x", replyTo: elsewhere.id }), 422, "invalid_reply_to");
    expectError(await request(server.url).post(api(`${giveawayId}/messages`)).set(winner.auth).send({ content: "x", replyTo: "nope" }), 422, "invalid_field");
  });
});

describe("typing", () => {
  it("POST /typing is 204 and reaches only the other side, as event: typing without an id, never stored", async () => {
    const talk = await drawnGiveaway(server);
    const { giveawayId, giver, winner, outsider } = talk;
    const [giverStream, winnerStream] = await Promise.all([openStream(talk, "giver"), openStream(talk, "winner")]);
    await until(giverStream, (events) => events.some((e) => e.event === "presence"));
    const before = await request(server.url).get(api(`${giveawayId}/events`)).set(giver.auth);
    await request(server.url).post(api(`${giveawayId}/typing`)).set(winner.auth).expect(204);
    await until(giverStream, (events) => events.some((e) => e.event === "typing"));
    const frame = framesOf(giverStream, "typing")[0]!;
    expect(frame.id).toBeUndefined();
    const data = JSON.parse(frame.data);
    expect(data).toEqual({ userId: winner.id, username: winner.username, until: expect.any(String) });
    expect(Date.parse(data.until)).toBeGreaterThan(Date.now());
    await send(server, giver, giveawayId, "flush"); // anything the winner's stream would show, it shows by now
    await until(winnerStream, (events) => events.some((e) => e.event === "message"));
    expect(framesOf(winnerStream, "typing")).toEqual([]);
    const after = await request(server.url).get(api(`${giveawayId}/events`)).set(giver.auth);
    expect(after.body.events.length).toBe(before.body.events.length + 1); // only the message
    expectError(await request(server.url).post(api(`${giveawayId}/typing`)).set(outsider.auth), 403, "not_participant");
    giverStream.close();
    winnerStream.close();
  });
});

describe("mute", () => {
  it("PUT and DELETE /mute are 204, idempotent, shown in the inbox and the message list", async () => {
    const { giveawayId, giver, winner, outsider } = await drawnGiveaway(server);
    const mutedIn = async () => {
      const inbox = await request(server.url).get("/api/inbox").set(giver.auth);
      const list = await request(server.url).get(api(`${giveawayId}/messages`)).set(giver.auth);
      return [inbox.body.conversations.find((c: { giveawayId: string }) => c.giveawayId === giveawayId).muted, list.body.muted];
    };
    expect(await mutedIn()).toEqual([false, false]);
    await request(server.url).put(api(`${giveawayId}/mute`)).set(giver.auth).expect(204);
    await request(server.url).put(api(`${giveawayId}/mute`)).set(giver.auth).expect(204);
    expect(await mutedIn()).toEqual([true, true]);
    const winnerList = await request(server.url).get(api(`${giveawayId}/messages`)).set(winner.auth);
    expect(winnerList.body.muted).toBe(false);
    await request(server.url).delete(api(`${giveawayId}/mute`)).set(giver.auth).expect(204);
    expect(await mutedIn()).toEqual([false, false]);
    expectError(await request(server.url).put(api(`${giveawayId}/mute`)).set(outsider.auth), 403, "not_participant");
  });
});

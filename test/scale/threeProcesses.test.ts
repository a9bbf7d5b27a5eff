// Three `npm start` processes on one data dir act as one service: two participants on different
// processes talk live, see each other online, read their own writes anywhere, and a client whose
// process is SIGKILLed moves to another and resumes exactly by Last-Event-ID.
import { existsSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnGiveaway, send, type Conversation } from "../http/apiFixtures.ts";
import { connectSse, messagesIn, type SseConnection, type SseEvent } from "../http/sseClient.ts";
import { startServerProcess, type ServerProcess } from "../support/serverProcess.ts";
import { makeTempDir } from "../support/tempDir.ts";
import type { TestServer } from "../support/testServer.ts";

const dir = makeTempDir("three");
const env = { PRESENCE_REFRESH_MS: "300", SSE_HEARTBEAT_MS: "1000" };
let a: ServerProcess;
let b: ServerProcess;
let c: ServerProcess;
let talk: Conversation;
const open: SseConnection[] = [];

/** The fixtures take a test server; a process's URL is all they use. */
const asServer = (process: ServerProcess) => ({ url: process.url }) as TestServer;
const presenceOf = (events: SseEvent[], userId: string) =>
  events.filter((e) => e.event === "presence").map((e) => JSON.parse(e.data) as { userId: string; online: boolean }).filter((p) => p.userId === userId);
const lastPresence = (events: SseEvent[], userId: string) => presenceOf(events, userId).at(-1)?.online;

async function stream(server: ServerProcess, user: { auth: Record<string, string> }, query = "", headers: Record<string, string> = {}) {
  const connection = await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream${query}`, { ...user.auth, ...headers });
  expect(connection.status, JSON.stringify(connection.body)).toBe(200);
  open.push(connection);
  return connection;
}

beforeAll(async () => {
  [a, b, c] = await Promise.all([0, 1, 2].map(() => startServerProcess({ dataDir: dir.path, env })));
  talk = await drawnGiveaway(asServer(a));
}, 180_000);

afterAll(async () => {
  for (const connection of open) connection.close();
  await Promise.all([a, b, c].map((server) => server?.kill("SIGKILL")));
  dir.remove();
});

describe("three processes over one embedded store", () => {
  it("each keeps read models of its own in the shared data dir", () => {
    for (const file of ["readmodels.db", "readmodels-1.db", "readmodels-2.db"]) expect(existsSync(join(dir.path, file)), file).toBe(true);
  });

  it("a write on one process is read on another that names its revision", async () => {
    const sent = await send(asServer(a), talk.giver, talk.giveawayId, "written on A");
    const onB = await request(b.url).get(`/api/giveaways/${talk.giveawayId}/messages?after=-1&minRevision=${sent.revision}`).set(talk.winner.auth);
    expect(onB.status).toBe(200);
    expect(onB.body.messages.map((m: { id: string }) => m.id)).toContain(sent.id);
    const posted = await request(c.url).post(`/api/giveaways/${talk.giveawayId}/messages`).set(talk.winner.auth).send({ content: "written on C" });
    expect(posted.status).toBe(201);
    expect(posted.headers["handoff-revision"]).toBe(String(posted.body.revision));
    const onA = await request(a.url).get(`/api/giveaways/${talk.giveawayId}/messages?after=-1&minRevision=${posted.body.revision}`).set(talk.giver.auth);
    expect(onA.body.messages.at(-1).id).toBe(posted.body.id);
    const refused = await request(a.url).get(`/api/giveaways/${talk.giveawayId}/messages?minRevision=soon`).set(talk.giver.auth);
    expect(refused.status).toBe(422);
  });

  it("participants on different processes get each other's messages live and see each other come and go", async () => {
    const giverOnB = await stream(b, talk.giver);
    const winnerOnC = await stream(c, talk.winner);
    await giverOnB.until((events) => lastPresence(events, talk.winner.id) === true, 10_000, "the winner online (on C), seen on B");
    await winnerOnC.until((events) => lastPresence(events, talk.giver.id) === true, 10_000, "the giver online (on B), seen on C");
    const sent = await send(asServer(a), talk.winner, talk.giveawayId, "live across processes");
    for (const connection of [giverOnB, winnerOnC]) {
      await connection.until((events) => messagesIn(events).some((m) => m.id === sent.id), 10_000, "the message sent on A");
      expect(connection.events.find((e) => e.event === "message" && JSON.parse(e.data).id === sent.id)?.id).toBe(String(sent.revision));
    }
    winnerOnC.close();
    await giverOnB.until((events) => lastPresence(events, talk.winner.id) === false, 10_000, "the winner offline after leaving C");
  });

  it("a SIGKILLed process's clients go offline for the others, move to another process and resume exactly", async () => {
    const giverOnB = await stream(b, talk.giver);
    const winnerOnC = await stream(c, talk.winner, "?after=-1");
    await giverOnB.until((events) => lastPresence(events, talk.winner.id) === true, 10_000, "the winner online on C");
    const before = await send(asServer(b), talk.giver, talk.giveawayId, "before the crash");
    await winnerOnC.until((events) => messagesIn(events).some((m) => m.id === before.id), 10_000, "the message before the crash");
    const seenBeforeCrash = messagesIn(winnerOnC.events);

    await c.kill("SIGKILL");
    await giverOnB.until((events) => lastPresence(events, talk.winner.id) === false, 10_000, "the winner offline once C's presence expires");
    const missed = [];
    for (const text of ["while away 1", "while away 2", "while away 3"]) missed.push(await send(asServer(b), talk.giver, talk.giveawayId, text));

    // The winner's client reconnects to A with the last id it saw, as EventSource does.
    const lastEventId = winnerOnC.events.filter((e) => e.event === "message").at(-1)!.id!;
    const winnerOnA = await stream(a, talk.winner, "", { "Last-Event-ID": lastEventId });
    await winnerOnA.until((events) => messagesIn(events).length >= missed.length, 10_000, "the messages missed while away");
    await giverOnB.until((events) => lastPresence(events, talk.winner.id) === true, 10_000, "the winner online again, now on A");
    const resumed = messagesIn(winnerOnA.events);
    expect(resumed.map((m) => m.id)).toEqual(missed.map((m) => m.id));
    const all = [...seenBeforeCrash, ...resumed].map((m) => m.revision);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...all].sort((x, y) => x - y));
  });
});

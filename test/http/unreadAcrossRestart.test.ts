// Unread counts are exact after a restart: the read models keep them, and the log rebuilds them.
import { rmSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { drawnGiveaway, send, type SignedInUser } from "./apiFixtures.ts";

const dir = makeTempDir("restart");
afterAll(() => dir.remove());

async function unread(server: TestServer, user: SignedInUser): Promise<{ count: number | undefined; total: number }> {
  const response = await request(server.url).get("/api/inbox").set(user.auth);
  expect(response.status).toBe(200);
  return { count: response.body.conversations[0]?.unreadCount, total: response.body.unreadTotal };
}

describe("unread counts across a restart", () => {
  it("stay exact when the server restarts, and when the read models are rebuilt from the log", async () => {
    let server = await startTestServer({ dataDir: dir.path });
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    const sent = [];
    for (const content of ["a", "b", "c", "d"]) sent.push(await send(server, giver, giveawayId, content));
    await request(server.url).post(`/api/giveaways/${giveawayId}/read`).set(winner.auth).send({ revision: sent[1]!.revision }).expect(204);
    expect(await unread(server, winner)).toEqual({ count: 2, total: 2 }); // c and d
    await server.stop();

    server = await startTestServer({ dataDir: dir.path });
    expect(await unread(server, winner)).toEqual({ count: 2, total: 2 });
    await send(server, giver, giveawayId, "e");
    expect(await unread(server, winner)).toEqual({ count: 3, total: 3 });
    // Replying reads everything before the reply: the winner's count clears, the giver's grows.
    await send(server, winner, giveawayId, "reply");
    expect(await unread(server, winner)).toEqual({ count: 0, total: 0 });
    expect(await unread(server, giver)).toEqual({ count: 1, total: 1 });
    await send(server, giver, giveawayId, "f");
    await server.stop();

    server = await startTestServer({ dataDir: dir.path });
    expect(await unread(server, winner)).toEqual({ count: 1, total: 1 });
    expect(await unread(server, giver)).toEqual({ count: 0, total: 0 });
    await server.stop();

    // Without the read models' file the runner replays the whole log: the same counts.
    for (const file of ["readmodels.db", "readmodels.db-wal", "readmodels.db-shm"]) rmSync(join(dir.path, file), { force: true });
    server = await startTestServer({ dataDir: dir.path });
    expect(await unread(server, winner)).toEqual({ count: 1, total: 1 });
    expect(await unread(server, giver)).toEqual({ count: 0, total: 0 });
    await server.stop();
  });
});

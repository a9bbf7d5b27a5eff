// Two servers on one embedded store get the same send (same message id) at once, as a client retrying
// through a load balancer would: one answers 201, the other 200 with the very message stored, and
// the hash chain stays intact.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyGiveaway } from "../../src/audit/chainVerification.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import type { EventStore } from "../../src/eventstore/port.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, type Conversation } from "./apiFixtures.ts";

const shared = makeTempDir("racing");
const stores: EventStore[] = [];
const servers: TestServer[] = [];
let talk: Conversation;

function storeOnSharedFile(): EventStore {
  const store = openSqliteEventStore({ file: join(shared.path, "events.db"), durability: "normal", pollIntervalMs: 20 });
  stores.push(store);
  return store;
}

beforeAll(async () => {
  // Each server has its own read models (its own data dir) over the one event store file.
  for (let i = 0; i < 2; i++) servers.push(await startTestServer({ overrides: { store: storeOnSharedFile() } }));
  talk = await drawnGiveaway(servers[0]!);
});
afterAll(async () => {
  for (const server of servers) await server.close();
  shared.remove();
});

describe("a send retried on two servers at once", () => {
  it("is stored once: one 201, one 200 with the stored message, and the chain verifies", async () => {
    // The second server knows the giveaway once its projections have caught up.
    await expect
      .poll(async () => (await request(servers[1]!.url).get(`/api/giveaways/${talk.giveawayId}/messages`).set(talk.giver.auth)).status, { timeout: 20_000 })
      .toBe(200);
    for (let round = 0; round < 5; round++) {
      const id = randomUUID();
      const post = (server: TestServer) =>
        request(server.url).post(`/api/giveaways/${talk.giveawayId}/messages`).set(talk.giver.auth).send({ content: `Saturday? (${round})`, id });
      const answers = await Promise.all(servers.map(post));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
      expect(answers[0]!.body).toEqual(answers[1]!.body);
      expect(answers[0]!.body).toMatchObject({ id, content: `Saturday? (${round})` });
    }
    const check = openSqliteEventStore({ file: join(shared.path, "events.db") });
    try {
      const verified = await verifyGiveaway(check, talk.giveawayId);
      expect(verified.break).toBeUndefined();
      const sent = (await check.readStream(`giveaway-${talk.giveawayId}`)).filter((e) => e.type === "MessageSent");
      expect(sent).toHaveLength(5);
    } finally {
      await check.close();
    }
  }, 60_000);
});

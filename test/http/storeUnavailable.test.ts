// An event store that cannot be reached is answered 503 with Retry-After, never a 500.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStore } from "../../src/eventstore/openEventStore.ts";
import { EventStoreError, type EventStore } from "../../src/eventstore/port.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startTestServer, testConfig, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, type Conversation } from "./apiFixtures.ts";

const dir = makeTempDir("unavailable");
let server: TestServer;
let talk: Conversation;
let storeDown = false;

beforeAll(async () => {
  const store = await openEventStore(testConfig(dir.path));
  const flaky: EventStore = {
    ...store,
    appendToStream: (...args) =>
      storeDown ? Promise.reject(new EventStoreError("unavailable", "EventStoreDB unavailable (append): 14 UNAVAILABLE")) : store.appendToStream(...args),
    readStream: (...args) => (storeDown ? Promise.reject(new EventStoreError("unavailable", "EventStoreDB unavailable (read)")) : store.readStream(...args)),
  };
  server = await startTestServer({ dataDir: dir.path, overrides: { store: flaky } });
  talk = await drawnGiveaway(server);
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

describe("an unavailable event store", () => {
  it("answers a send 503 with Retry-After and the API's JSON error; the retry with the same id goes through", async () => {
    const id = "00000000-0000-4000-8000-00000000abcd";
    storeDown = true;
    const refused = await request(server.url).post(`/api/giveaways/${talk.giveawayId}/messages`).set(talk.giver.auth).send({ content: "hi", id });
    storeDown = false;
    expect(refused.status).toBe(503);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(refused.body).toEqual({ error: { code: "store_unavailable", message: expect.stringContaining("try again") } });
    expect(JSON.stringify(refused.body)).not.toContain("14 UNAVAILABLE");
    const retried = await request(server.url).post(`/api/giveaways/${talk.giveawayId}/messages`).set(talk.giver.auth).send({ content: "hi", id });
    expect(retried.status).toBe(201);
  });
});

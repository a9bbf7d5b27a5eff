// Readiness tells each cause apart: an unreachable store, a projection trailing the log past the
// bound; liveness fails only when the runner itself died. Stream metrics follow the connections.
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import type { EventStore, Subscription, SubscriptionItem } from "../../src/eventstore/port.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { metrics } from "../../src/observability/metrics.ts";
import { drawnGiveaway, send } from "../http/apiFixtures.ts";
import { connectSse } from "../support/sseClient.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

/** The real embedded store, with switches to make reads fail or the live subscription break. */
function faultyStore(dataDir: string) {
  const real = openSqliteEventStore({ file: `${dataDir}/events.db`, durability: "normal" });
  const faults = { readsFail: false, subscriptionFails: false };
  const store: EventStore = {
    appendToStream: (...args) => real.appendToStream(...args),
    readStream: (...args) => (faults.readsFail ? Promise.reject(new Error("connection refused")) : real.readStream(...args)),
    readAll: (...args) => (faults.readsFail ? Promise.reject(new Error("connection refused")) : real.readAll(...args)),
    subscribeToStream: (...args) => real.subscribeToStream(...args),
    subscribeToAll(options): Subscription {
      const inner = real.subscribeToAll(options);
      async function* items(): AsyncGenerator<SubscriptionItem> {
        for await (const item of inner) {
          if (faults.subscriptionFails) throw new Error("subscription dropped by the server");
          yield item;
        }
      }
      const iterator = items();
      return { [Symbol.asyncIterator]: () => iterator, stop: () => inner.stop() };
    },
    setStreamMetadata: (...args) => real.setStreamMetadata(...args),
    getStreamMetadata: (...args) => real.getStreamMetadata(...args),
    close: () => real.close(),
  };
  return { store, faults };
}

const gauge = async (kind: string) => (await metrics.openStreams.get()).values.find((v) => v.labels.kind === kind)?.value ?? 0;
const delivered = async (kind: string) => (await metrics.deliveries.get()).values.find((v) => v.labels.kind === kind)?.value ?? 0;

describe("health and readiness", () => {
  let server: TestServer | undefined;
  let dir: ReturnType<typeof makeTempDir> | undefined;
  afterEach(async () => {
    await server?.close();
    dir?.remove();
    server = undefined;
    dir = undefined;
  });

  it("is not ready while the store does not answer, and ready again when it does; liveness stays ok", async () => {
    dir = makeTempDir("readiness");
    const { store, faults } = faultyStore(dir.path);
    server = await startTestServer({ dataDir: dir.path, overrides: { store } });
    expect((await request(server.url).get("/readyz")).status).toBe(200);
    faults.readsFail = true;
    const notReady = await request(server.url).get("/readyz");
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ status: "not_ready", store: { reachable: false, error: "connection refused" } });
    expect(notReady.body.reasons).toContain("event store unreachable: connection refused");
    expect((await request(server.url).get("/healthz")).status).toBe(200);
    faults.readsFail = false;
    expect((await request(server.url).get("/readyz")).status).toBe(200);
  });

  it("is not ready while a projection trails the log by more than READY_MAX_LAG_EVENTS", async () => {
    server = await startTestServer({ env: { READY_MAX_LAG_EVENTS: "2" } });
    const talk = await drawnGiveaway(server);
    expect((await request(server.url).get("/readyz")).status).toBe(200);
    await server.handoff.runner.stop(); // the read models stand still while the log grows
    for (let i = 0; i < 3; i++) {
      const id = server.handoff.newId();
      await server.handoff.store.appendToStream(`giveaway-${talk.giveawayId}`, [
        { id, type: "MessageSent", data: { messageId: id, senderId: talk.giver.id, content: `m${i}`, sentAt: new Date().toISOString() } },
      ]);
    }
    const lagging = await request(server.url).get("/readyz");
    expect(lagging.status).toBe(503);
    expect(lagging.body.reasons).toContain("projection conversation trails the log by more than 2 events");
    expect(lagging.body.projections.find((p: { name: string }) => p.name === "conversation").lagEvents).toBe(3);
    expect((await metrics.projectionLagEvents.get()).values.find((v) => v.labels.projection === "conversation")?.value).toBe(3);
  });

  it("fails liveness with the reason when the projection runner itself stops", async () => {
    dir = makeTempDir("liveness");
    const { store, faults } = faultyStore(dir.path);
    server = await startTestServer({ dataDir: dir.path, overrides: { store } });
    const talk = await drawnGiveaway(server);
    faults.subscriptionFails = true;
    await server.handoff.store.appendToStream(`giveaway-${talk.giveawayId}`, [
      { id: server.handoff.newId(), type: "ConversationRead", data: { userId: talk.giver.id, upToRevision: 2, readAt: new Date().toISOString() } },
    ]);
    await expect.poll(async () => (await request(server!.url).get("/healthz")).status).toBe(503);
    const live = await request(server.url).get("/healthz");
    expect(live.body).toEqual({ status: "failed", reason: "projection runner stopped: subscription dropped by the server" });
    const ready = await request(server.url).get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body.reasons).toContain("projection runner stopped: subscription dropped by the server");
    // Writes say so at once rather than waiting for a read model that will not move.
    const refused = await request(server.url).post(`/api/giveaways/${talk.giveawayId}/messages`).set(talk.giver.auth).send({ content: "hello?" });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe("read_model_stopped");
  });

  it("counts open streams and deliveries by kind", async () => {
    server = await startTestServer();
    const talk = await drawnGiveaway(server);
    const openBefore = await gauge("api_conversation");
    const deliveredBefore = await delivered("api_conversation");
    const stream = await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream`, talk.winner.auth);
    expect(await gauge("api_conversation")).toBe(openBefore + 1);
    await send(server, talk.giver, talk.giveawayId, "counted");
    await expect.poll(() => stream.events.some((e) => e.event === "message")).toBe(true);
    expect(await delivered("api_conversation")).toBeGreaterThanOrEqual(deliveredBefore + 1);
    stream.close();
    await expect.poll(() => gauge("api_conversation")).toBe(openBefore);
  });
});

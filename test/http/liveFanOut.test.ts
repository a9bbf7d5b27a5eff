// One store subscription per process feeds every stream; a client that stops reading is dropped.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStore } from "../../src/eventstore/openEventStore.ts";
import type { EventStore } from "../../src/eventstore/port.ts";
import { presenceStreamPrefix } from "../../src/live/presenceSignals.ts";
import { openReactorState, reactorStateFile, readReactorStates } from "../../src/reactors/reactorState.ts";
import { typingStreamPrefix } from "../../src/live/storeTypingSignals.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startTestServer, testConfig, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, send, type Conversation } from "./apiFixtures.ts";
import { connectSse, messagesIn, type SseConnection } from "../support/sseClient.ts";

const dir = makeTempDir("fanout");
let server: TestServer;
let talk: Conversation;
let subscriptions = 0;
let presenceSubscriptions = 0;
let typingSubscriptions = 0;
const open: SseConnection[] = [];

beforeAll(async () => {
  // The real store, counting who subscribes to it.
  const store = await openEventStore(testConfig(dir.path));
  const counting: EventStore = {
    appendToStream: (...args) => store.appendToStream(...args),
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    subscribeToStream(...args) {
      subscriptions += 1;
      return store.subscribeToStream(...args);
    },
    subscribeToAll(...args) {
      // Presence and typing between processes have one follower each per process (never per connection).
      const only = args[0].streamPrefixes?.length === 1 ? args[0].streamPrefixes[0] : undefined;
      if (only === presenceStreamPrefix) presenceSubscriptions += 1;
      else if (only === typingStreamPrefix) typingSubscriptions += 1;
      else subscriptions += 1;
      return store.subscribeToAll(...args);
    },
    setStreamMetadata: (...args) => store.setStreamMetadata(...args),
    getStreamMetadata: (...args) => store.getStreamMetadata(...args),
    close: () => store.close(),
  };
  server = await startTestServer({ dataDir: dir.path, overrides: { store: counting }, env: { SSE_MAX_QUEUED_BYTES: "1024" } });
  talk = await drawnGiveaway(server);
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await server.close();
  dir.remove();
});

describe("live fan-out", () => {
  it("feeds many streams from the one subscription the projection runner holds", async () => {
    // A fixed number per process, however many streams: the projection runner's (which feeds every
    // live stream) and one per durable reactor (each checkpointed apart, started once the log is caught up).
    const state = openReactorState(reactorStateFile(dir.path));
    const durable = readReactorStates(state).length;
    state.close();
    expect(durable).toBeGreaterThan(0);
    const perProcess = 1 + durable;
    await expect.poll(() => subscriptions).toBe(perProcess);
    const url = `${server.url}/api/giveaways/${talk.giveawayId}/stream`;
    for (let i = 0; i < 6; i++) open.push(await connectSse(url, (i % 2 ? talk.giver : talk.winner).auth));
    const sent = await send(server, talk.giver, talk.giveawayId, "to everyone");
    for (const connection of open) {
      await expect.poll(() => messagesIn(connection.events)).toHaveLength(1);
      expect(messagesIn(connection.events)[0]!.id).toBe(sent.id);
    }
    expect(subscriptions).toBe(perProcess);
    expect(presenceSubscriptions).toBe(1);
    expect(typingSubscriptions).toBe(1);
    for (const connection of open.splice(0)) connection.close();
  });

  it("drops a client that stops reading once its unsent frames pass the limit", async () => {
    await expect.poll(() => server.handoff.hub.connectionCount()).toBe(0); // the first test's streams are gone
    // A raw connection that sends the request and then never reads a byte.
    const socket = net.connect(Number(new URL(server.url).port), "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.pause();
    socket.write(`GET /api/giveaways/${talk.giveawayId}/stream HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${talk.winner.token}\r\n\r\n`);
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    try {
      await expect.poll(() => server.handoff.hub.connectionCount()).toBe(1);

      // Big frames until the server gives up on it; the kernel's socket buffers absorb the first
      // megabytes. Control characters make the longest frames: JSON writes each as six bytes.
      const content = "\u0001".repeat(2000);
      let sent = 0;
      while (server.handoff.hub.connectionCount() > 0 && sent < 1500) {
        await send(server, talk.giver, talk.giveawayId, content);
        sent += 1;
      }
      expect(server.handoff.hub.connectionCount()).toBe(0);
      expect(sent).toBeLessThan(1500);
      socket.resume(); // let the client see the end
      await closed;
    } finally {
      socket.destroy();
    }
  });
});

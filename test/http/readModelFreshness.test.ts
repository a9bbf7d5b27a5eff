// Issue 24, in one process: a giveaway written to the store by another handle (as another process
// would) while this server's projection runner is held back. A read refused on what the read models
// lack waits until they have caught up with the log (then answers rightly), or past the bound answers
// 503 read_model_lagging with Retry-After, never the stale 404.
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGiveawayCommandHandler } from "../../src/app/giveawayCommandHandler.ts";
import { giveawayStreamPrefix } from "../../src/domain/streams.ts";
import { openEmbeddedEventStore } from "../../src/eventstore/openEventStore.ts";
import type { EventStore, ReadAllOptions, Subscription, SubscriptionItem } from "../../src/eventstore/port.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startTestServer, testConfig, type TestServer } from "../support/testServer.ts";
import { signUp, type SignedInUser } from "./apiFixtures.ts";

/** The server's store, with the projection runner's subscription held at a gate the test opens. */
function gatedStore(real: EventStore) {
  let gate: { opened: Promise<void>; open: () => void } | undefined;
  let headReads: (() => void)[] = [];
  const store: EventStore = {
    ...real,
    readAll(options?: ReadAllOptions) {
      // A backwards read is a catch-up asking for the log's head: the test waits for it to know a request is catching up.
      if (options?.direction === "backwards") for (const seen of headReads.splice(0)) seen();
      return real.readAll(options);
    },
    subscribeToAll(options): Subscription {
      const inner = real.subscribeToAll(options);
      // Only the runner's (giveaway streams): presence and typing follow the store freely.
      if (!options.streamPrefixes?.includes(giveawayStreamPrefix)) return inner;
      return {
        stop: () => {
          gate?.open(); // a held item must not keep the runner from stopping
          return inner.stop();
        },
        async *[Symbol.asyncIterator](): AsyncGenerator<SubscriptionItem> {
          for await (const item of inner) {
            while (gate) await gate.opened;
            yield item;
          }
        },
      };
    },
  };
  return {
    store,
    hold() {
      if (gate) return; // still held: one gate, or the runner could wait on one never opened
      let open = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      gate = {
        opened,
        open: () => {
          gate = undefined;
          open();
        },
      };
    },
    release: () => gate?.open(),
    nextHeadRead: () => new Promise<void>((resolve) => headReads.push(resolve)),
  };
}

const dir = makeTempDir("freshness");
let server: TestServer;
let gated: ReturnType<typeof gatedStore>;
/** Another handle on the same events file: another process's writes, which this server's runner must pick up. */
let otherProcess: EventStore;
let giver: SignedInUser;

async function createdElsewhere(): Promise<string> {
  const giveawayId = randomUUID();
  const handle = createGiveawayCommandHandler({ store: otherProcess, newId: randomUUID });
  const result = await handle(giveawayId, { type: "CreateGiveaway", giveawayId, giverId: giver.id, title: "Made on the other process", now: new Date() }, { actorId: giver.id, correlationId: "c", causationId: "c" });
  expect(result.ok).toBe(true);
  return giveawayId;
}

beforeAll(async () => {
  const config = testConfig(dir.path);
  gated = gatedStore(openEmbeddedEventStore(config));
  otherProcess = openEmbeddedEventStore(config);
  // A short bound keeps the lagging case quick; the catch-up case releases the runner well within it.
  server = await startTestServer({ dataDir: dir.path, env: { READ_CATCH_UP_TIMEOUT_MS: "1500" }, overrides: { store: gated.store } });
  giver = await signUp(server, "giver");
});

afterAll(async () => {
  gated.release();
  await server.close();
  await otherProcess.close();
  dir.remove();
});

describe("reads refused on what the read models lack", () => {
  it("catch the read models up to the log's head first, then answer rightly (API and page)", async () => {
    gated.hold();
    const giveawayId = await createdElsewhere();
    // Held back: this process's read models do not show it yet (the stale answer would be 404).
    expect(server.handoff.queries.giveawayById(giveawayId)).toBeUndefined();
    const headRead = gated.nextHeadRead();
    const read = request(server.url).get(`/api/giveaways/${giveawayId}`).set(giver.auth).then((response) => response);
    await Promise.race([headRead, read]); // the request is catching up (or, wrongly, answered at once): let the runner go on
    gated.release();
    const answered = await read;
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.title).toBe("Made on the other process");

    gated.hold();
    const onPage = await createdElsewhere();
    const pageHeadRead = gated.nextHeadRead();
    const page = request(server.url).get(`/giveaways/${onPage}`).set("Cookie", `handoff_session=${giver.token}`).then((response) => response);
    await Promise.race([pageHeadRead, page]);
    gated.release();
    const shown = await page;
    expect(shown.status).toBe(200);
    expect(shown.text).toContain("Made on the other process");
  });

  it("past the bound answer 503 read_model_lagging with Retry-After (API JSON, a readable page), then the right answer once caught up", async () => {
    gated.hold();
    const giveawayId = await createdElsewhere();
    const refused = await request(server.url).get(`/api/giveaways/${giveawayId}`).set(giver.auth);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: { code: "read_model_lagging", message: expect.any(String) } });
    expect(refused.headers["retry-after"]).toBe("2");

    const page = await request(server.url).get(`/giveaways/${giveawayId}`).set("Cookie", `handoff_session=${giver.token}`);
    expect(page.status).toBe(503);
    expect(page.headers["retry-after"]).toBe("2");
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.text).toContain("Not here yet");

    gated.release();
    const later = await request(server.url).get(`/api/giveaways/${giveawayId}`).set(giver.auth);
    expect(later.status).toBe(200);
  });

  it("a giveaway that is in no log is still 404 once caught up", async () => {
    const missing = await request(server.url).get(`/api/giveaways/${randomUUID()}`).set(giver.auth);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("giveaway_not_found");
  });
});

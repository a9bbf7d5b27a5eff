// A stored event is read and parsed once for every follower at the head (the read models and each
// durable reactor follow the log on their own subscriptions): the embedded store hands them one
// shared page, and toProjectedEvent keeps its parse per event object.
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventStore, RecordedEvent, Subscription } from "../../src/eventstore/port.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { toProjectedEvent } from "../../src/projections/projectionRunner.ts";
import { makeTempDir } from "../support/tempDir.ts";

let dir: ReturnType<typeof makeTempDir>;
let store: EventStore;
beforeEach(() => {
  dir = makeTempDir("parsed-once");
  store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal", pollIntervalMs: 20 });
});
afterEach(async () => {
  await store.close();
  dir.remove();
});

async function firstEvent(subscription: Subscription): Promise<RecordedEvent> {
  for await (const item of subscription) if (item.kind === "event") return item.event;
  throw new Error("the subscription ended without an event");
}

describe("one parse per stored event", () => {
  it("two followers at the head get the same event, parsed once", async () => {
    const prefixes = ["giveaway-", "user-"];
    const one = store.subscribeToAll({ from: "end", streamPrefixes: prefixes });
    const two = store.subscribeToAll({ from: "end", streamPrefixes: prefixes });
    const giveawayId = crypto.randomUUID();
    const data = { giveawayId, giverId: crypto.randomUUID(), title: "lamp", description: "", createdAt: new Date().toISOString() };
    await store.appendToStream(`giveaway-${giveawayId}`, [{ id: crypto.randomUUID(), type: "GiveawayCreated", data }]);
    const [seenByOne, seenByTwo] = await Promise.all([firstEvent(one), firstEvent(two)]);
    await Promise.all([one.stop(), two.stop()]);
    expect(seenByTwo).toBe(seenByOne);
    const parsed = toProjectedEvent(seenByOne);
    expect(parsed?.event.type).toBe("GiveawayCreated");
    expect(toProjectedEvent(seenByTwo)).toBe(parsed);
  });
});

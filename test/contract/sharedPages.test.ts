// Every process follows the log several times over (the read models, each durable reactor); on the
// embedded store the followers at the head share the page each commit makes them read: one SQL read
// and one parse per commit, not one per follower.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { expect, it } from "vitest";
import type { RecordedEvent, Subscription } from "../../src/eventstore/port.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { makeTempDir } from "../support/tempDir.ts";

async function firstEvent(subscription: Subscription): Promise<RecordedEvent> {
  for await (const item of subscription) if (item.kind === "event") return item.event;
  throw new Error("the subscription ended");
}

it("hands followers of $all at the same place, with the same filter, the same events read once", async () => {
  const dir = makeTempDir("shared-pages");
  const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  try {
    const prefixes = ["giveaway-", "user-"];
    const followers = [0, 1, 2].map(() => store.subscribeToAll({ from: "end", streamPrefixes: prefixes }));
    const other = store.subscribeToAll({ from: "end", streamPrefixes: ["giveaway-"] });
    const seen = Promise.all([...followers, other].map(firstEvent));
    await store.appendToStream(`giveaway-${randomUUID()}`, [{ id: randomUUID(), type: "Probe", data: { n: 1 } }]);
    const [a, b, c, d] = await seen;
    expect(a!.data).toEqual({ n: 1 });
    // One read served the three followers of one filter: the very same event object.
    expect(b).toBe(a);
    expect(c).toBe(a);
    // Another filter reads for itself, and sees the same event.
    expect(d).not.toBe(a);
    expect(d!.id).toBe(a!.id);
    for (const subscription of [...followers, other]) await subscription.stop();
  } finally {
    await store.close();
    dir.remove();
  }
});

it("serves a follower that gets to the log after a newer commit from the same read, plus only what is new", async () => {
  const dir = makeTempDir("shared-pages");
  const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  try {
    const prefixes = ["giveaway-", "user-"];
    const early = store.subscribeToAll({ from: "end", streamPrefixes: prefixes });
    const late = store.subscribeToAll({ from: "end", streamPrefixes: prefixes });
    const streamId = `giveaway-${randomUUID()}`;
    const firstSeen = firstEvent(early);
    await store.appendToStream(streamId, [{ id: randomUUID(), type: "Probe", data: { n: 1 } }]);
    const first = await firstSeen;
    // A second commit before the late follower reads at all (a reactor still busy with its last batch).
    await store.appendToStream(streamId, [{ id: randomUUID(), type: "Probe", data: { n: 2 } }]);
    const both: RecordedEvent[] = [];
    for await (const item of late) {
      if (item.kind === "event") both.push(item.event);
      if (both.length === 2) break;
    }
    expect(both.map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(both[0]).toBe(first);
    await early.stop();
  } finally {
    await store.close();
    dir.remove();
  }
});

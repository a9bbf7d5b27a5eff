// Stream metadata ($maxAge, $maxCount) as EventStoreDB honours it, run on every adapter.
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventStore, EventToAppend } from "../../src/eventstore/port.ts";
import type { MakeStore } from "./eventStoreContract.ts";

const event = (n: number): EventToAppend => ({ id: randomUUID(), type: "Signalled", data: { n } });
const numbers = (events: { data: unknown }[]) => events.map((e) => (e.data as { n: number }).n);

export function describeStreamMetadata(adapterName: string, makeStore: MakeStore): void {
  describe(`stream metadata contract: ${adapterName}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    let stream: string;

    beforeEach(async () => {
      ({ store, dispose } = await makeStore());
      stream = `t${randomUUID().replaceAll("-", "").slice(0, 12)}_signals-1`;
    });
    afterEach(async () => {
      await dispose();
    });

    it("a stream without metadata answers {}; what is set is read back, and setting again replaces it", async () => {
      expect(await store.getStreamMetadata(stream)).toEqual({});
      await store.setStreamMetadata(stream, { maxAge: 60, maxCount: 10 });
      expect(await store.getStreamMetadata(stream)).toEqual({ maxAge: 60, maxCount: 10 });
      await store.setStreamMetadata(stream, { maxCount: 3 });
      expect(await store.getStreamMetadata(stream)).toEqual({ maxCount: 3 });
    });

    it("refuses a maximum that is not a positive whole number", async () => {
      await expect(store.setStreamMetadata(stream, { maxCount: 0 })).rejects.toMatchObject({ code: "invalid_event" });
      await expect(store.setStreamMetadata(stream, { maxAge: 1.5 })).rejects.toMatchObject({ code: "invalid_event" });
    });

    it("$maxCount: reads show only the newest events, forwards, backwards and from an old revision", async () => {
      await store.setStreamMetadata(stream, { maxCount: 2 });
      await store.appendToStream(stream, [0, 1, 2, 3, 4].map(event));
      expect(numbers(await store.readStream(stream))).toEqual([3, 4]);
      expect(numbers(await store.readStream(stream, { direction: "backwards" }))).toEqual([4, 3]);
      expect(numbers(await store.readStream(stream, { fromRevision: 1n }))).toEqual([3, 4]);
      expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([3n, 4n]);
      // Revisions go on from where the stream stands; only visibility changed.
      const next = await store.appendToStream(stream, [event(5)], { expectedRevision: 4n });
      expect(next.nextExpectedRevision).toBe(5n);
      expect(numbers(await store.readStream(stream))).toEqual([4, 5]);
    });

    it("$maxCount: a catch-up subscription from the start begins at the newest events", async () => {
      await store.setStreamMetadata(stream, { maxCount: 1 });
      await store.appendToStream(stream, [0, 1, 2].map(event));
      const subscription = store.subscribeToStream(stream, { from: "start" });
      const seen: number[] = [];
      for await (const item of subscription) {
        if (item.kind === "caughtUp") break;
        seen.push((item.event.data as { n: number }).n);
      }
      await subscription.stop();
      expect(seen).toEqual([2]);
    });

    it("$maxAge: events older than the age are no longer read; new ones are", async () => {
      await store.setStreamMetadata(stream, { maxAge: 1 });
      await store.appendToStream(stream, [event(0)]);
      expect(numbers(await store.readStream(stream))).toEqual([0]);
      await expect.poll(async () => numbers(await store.readStream(stream)), { timeout: 10_000, interval: 200 }).toEqual([]);
      await store.appendToStream(stream, [event(1)], { expectedRevision: 0n });
      expect(numbers(await store.readStream(stream))).toEqual([1]);
    });
  });
}

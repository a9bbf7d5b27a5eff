// One contract, EventStoreDB's semantics, run on every adapter with no per-adapter switches.
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventStore, EventToAppend, RecordedEvent, Subscription, SubscriptionItem } from "../../src/eventstore/port.ts";

export type MakeStore = () => Promise<{ store: EventStore; dispose(): Promise<void> }>;

const event = (type = "Happened", data: unknown = { n: 1 }): EventToAppend => ({ id: randomUUID(), type, data, metadata: { actorId: "a" } });

/** Pulls items from a subscription until `count` are taken or `timeoutMs` passes. */
export async function take(subscription: Subscription, count: number, timeoutMs = 3000): Promise<SubscriptionItem[]> {
  const taken: SubscriptionItem[] = [];
  const iterator = subscription[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), remaining))),
    ]);
    clearTimeout(timer);
    if (next === "timeout" || next.done) break;
    taken.push(next.value);
  }
  return taken;
}

const describeItem = (item: SubscriptionItem) => (item.kind === "caughtUp" ? "caughtUp" : `${item.event.streamId}@${item.event.revision}`);

export function describeEventStore(adapterName: string, makeStore: MakeStore): void {
  describe(`event store contract: ${adapterName}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    // A fresh prefix per test keeps tests apart even on a shared EventStoreDB.
    let prefix: string;
    let streamName: (name: string) => string;

    beforeEach(async () => {
      ({ store, dispose } = await makeStore());
      prefix = `t${randomUUID().replaceAll("-", "").slice(0, 12)}`;
      streamName = (name) => `${prefix}_${name}-1`;
    });
    afterEach(async () => {
      await dispose();
    });

    describe("append", () => {
      it("numbers revisions from 0 and positions only grow", async () => {
        const stream = streamName("a");
        const first = await store.appendToStream(stream, [event()], { expectedRevision: "no_stream" });
        const second = await store.appendToStream(stream, [event(), event()], { expectedRevision: 0n });
        expect(first.nextExpectedRevision).toBe(0n);
        expect(second.nextExpectedRevision).toBe(2n);
        expect([first.outcome, second.outcome]).toEqual(["written", "written"]);
        expect(second.position > first.position).toBe(true);
        const read = await store.readStream(stream);
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(read[2]!.position).toBe(second.position);
      });

      it("records id, type, data, metadata, stream, revision, position and created", async () => {
        const stream = streamName("shape");
        const written = { id: randomUUID(), type: "ThingDone", data: { text: "héllo\nworld", list: [1, 2] }, metadata: { actorId: "u1" } };
        const before = Date.now();
        await store.appendToStream(stream, [written]);
        const [recorded] = await store.readStream(stream);
        expect(recorded).toMatchObject({ id: written.id, type: "ThingDone", data: written.data, metadata: written.metadata, streamId: stream, revision: 0n });
        expect(typeof recorded!.position).toBe("bigint");
        expect(recorded!.created).toBeInstanceOf(Date);
        expect(recorded!.created.getTime()).toBeGreaterThanOrEqual(before - 2000);
      });

      it("no_stream succeeds on a new stream and fails on an existing one", async () => {
        const stream = streamName("ns");
        await store.appendToStream(stream, [event()], { expectedRevision: "no_stream" });
        await expect(store.appendToStream(stream, [event()], { expectedRevision: "no_stream" })).rejects.toMatchObject({
          code: "wrong_expected_revision",
          actual: 0n,
        });
      });

      it("stream_exists fails on a missing stream and succeeds on an existing one", async () => {
        const stream = streamName("se");
        await expect(store.appendToStream(stream, [event()], { expectedRevision: "stream_exists" })).rejects.toMatchObject({
          code: "wrong_expected_revision",
        });
        await store.appendToStream(stream, [event()]);
        const result = await store.appendToStream(stream, [event()], { expectedRevision: "stream_exists" });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it("an exact revision succeeds when current and fails when stale or ahead", async () => {
        const stream = streamName("exact");
        await store.appendToStream(stream, [event(), event()]);
        await expect(store.appendToStream(stream, [event()], { expectedRevision: 0n })).rejects.toMatchObject({
          code: "wrong_expected_revision",
          actual: 1n,
        });
        await expect(store.appendToStream(stream, [event()], { expectedRevision: 5n })).rejects.toMatchObject({
          code: "wrong_expected_revision",
        });
        expect((await store.appendToStream(stream, [event()], { expectedRevision: 1n })).nextExpectedRevision).toBe(2n);
      });

      it("any always appends at the end", async () => {
        const stream = streamName("any");
        await store.appendToStream(stream, [event()], { expectedRevision: "any" });
        const result = await store.appendToStream(stream, [event()], { expectedRevision: "any" });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it("refuses an empty batch and a malformed event id", async () => {
        const stream = streamName("bad");
        await expect(store.appendToStream(stream, [])).rejects.toMatchObject({ code: "empty_batch" });
        await expect(store.appendToStream(stream, [{ id: "not-a-uuid", type: "X", data: {} }])).rejects.toMatchObject({
          code: "invalid_event",
        });
        await expect(store.readStream(stream)).rejects.toMatchObject({ code: "stream_not_found" });
      });

      it("a refused batch writes none of its events", async () => {
        const stream = streamName("atomic");
        await store.appendToStream(stream, [event()]);
        await expect(store.appendToStream(stream, [event(), event(), event()], { expectedRevision: 7n })).rejects.toMatchObject({
          code: "wrong_expected_revision",
        });
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it("of two concurrent appends at the same revision exactly one wins", async () => {
        const stream = streamName("race");
        await store.appendToStream(stream, [event()]);
        const outcomes = await Promise.allSettled([
          store.appendToStream(stream, [event()], { expectedRevision: 0n }),
          store.appendToStream(stream, [event()], { expectedRevision: 0n }),
        ]);
        expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
        const rejected = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
        expect(rejected.reason).toMatchObject({ code: "wrong_expected_revision" });
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe("idempotent re-append", () => {
      it("the same batch at the same exact revision is acknowledged and stored once", async () => {
        const stream = streamName("idem");
        await store.appendToStream(stream, [event()]);
        const batch = [event(), event()];
        const first = await store.appendToStream(stream, batch, { expectedRevision: 0n });
        const again = await store.appendToStream(stream, batch, { expectedRevision: 0n });
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it("the same batch with no_stream is acknowledged when it opened the stream", async () => {
        const stream = streamName("idemns");
        const batch = [event()];
        await store.appendToStream(stream, batch, { expectedRevision: "no_stream" });
        const again = await store.appendToStream(stream, batch, { expectedRevision: "no_stream" });
        expect(again.nextExpectedRevision).toBe(0n);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it("the same batch with any or stream_exists is acknowledged and stored once", async () => {
        const stream = streamName("idemany");
        const batch = [event(), event()];
        await store.appendToStream(stream, [event()]);
        await store.appendToStream(stream, batch, { expectedRevision: "any" });
        await store.appendToStream(stream, [event()]);
        await store.appendToStream(stream, batch, { expectedRevision: "any" });
        await store.appendToStream(stream, batch, { expectedRevision: "stream_exists" });
        expect(await store.readStream(stream)).toHaveLength(4);
      });

      it("stored ids sent again with other content are deduplicated: told so, nothing written, the stored events stand", async () => {
        const stream = streamName("dedup");
        await store.appendToStream(stream, [event()]);
        const stored = [event("Said", { text: "first" }), event("Said", { text: "second" })];
        const written = await store.appendToStream(stream, stored, { expectedRevision: 0n });
        const rival = stored.map((e) => ({ ...e, data: { text: "rival" }, metadata: { actorId: "b" } }));
        const again = await store.appendToStream(stream, rival, { expectedRevision: 0n });
        expect(again).toEqual({ nextExpectedRevision: 2n, position: written.position, outcome: "deduplicated" });
        const read = await store.readStream(stream);
        expect(read.slice(1).map((e) => e.data)).toEqual([{ text: "first" }, { text: "second" }]);
        const rivalNoStream = await store.appendToStream(streamName("dedupns"), [event()], { expectedRevision: "no_stream" });
        expect(rivalNoStream.outcome).toBe("written");
      });

      it("a batch that only partly matches stored events is a wrong-expected-revision error", async () => {
        const stream = streamName("partial");
        const [a, b] = [event(), event()];
        await store.appendToStream(stream, [a, b], { expectedRevision: "no_stream" });
        await expect(store.appendToStream(stream, [a, event()], { expectedRevision: "no_stream" })).rejects.toMatchObject({
          code: "wrong_expected_revision",
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it("a different batch at a stale revision is a wrong-expected-revision error", async () => {
        const stream = streamName("stale");
        await store.appendToStream(stream, [event(), event()]);
        await expect(store.appendToStream(stream, [event()], { expectedRevision: 0n })).rejects.toMatchObject({
          code: "wrong_expected_revision",
        });
      });
    });

    describe("read", () => {
      it("a missing stream is stream_not_found", async () => {
        await expect(store.readStream(streamName("missing"))).rejects.toMatchObject({ code: "stream_not_found" });
      });

      it("reads forwards from a revision inclusively, with a max count", async () => {
        const stream = streamName("fwd");
        await store.appendToStream(stream, [event("A"), event("B"), event("C"), event("D")]);
        const read = await store.readStream(stream, { fromRevision: 1n, maxCount: 2 });
        expect(read.map((e) => e.type)).toEqual(["B", "C"]);
      });

      it("reads backwards from the end or from a revision inclusively", async () => {
        const stream = streamName("bwd");
        await store.appendToStream(stream, [event("A"), event("B"), event("C")]);
        const fromEnd = await store.readStream(stream, { direction: "backwards", maxCount: 2 });
        expect(fromEnd.map((e) => e.type)).toEqual(["C", "B"]);
        const fromOne = await store.readStream(stream, { direction: "backwards", fromRevision: 1n });
        expect(fromOne.map((e) => e.type)).toEqual(["B", "A"]);
      });

      it("reads the global log from a position inclusively, filtered by stream prefix", async () => {
        const mine = streamName("log");
        const other = `${prefix}other-1`;
        await store.appendToStream(mine, [event("A")]);
        const fromHere = await store.appendToStream(other, [event("X")]);
        await store.appendToStream(mine, [event("B")]);
        const all = await store.readAll({ fromPosition: fromHere.position, streamPrefixes: [prefix] });
        expect(all.map((e) => e.type)).toEqual(["X", "B"]);
        const filtered = await store.readAll({ streamPrefixes: [`${prefix}_log`] });
        expect(filtered.map((e) => e.type)).toEqual(["A", "B"]);
        expect(filtered[1]!.position > filtered[0]!.position).toBe(true);
      });

      // The log's head as of now (read-model freshness asks this before refusing a read).
      it("reads the global log backwards: the newest first, from the end, filtered by prefix", async () => {
        const mine = streamName("head");
        const other = `${prefix}other-2`;
        await store.appendToStream(mine, [event("A")]);
        await store.appendToStream(mine, [event("B")]);
        const newestOther = await store.appendToStream(other, [event("X")]);
        const [head] = await store.readAll({ direction: "backwards", maxCount: 1, streamPrefixes: [prefix] });
        expect(head?.type).toBe("X");
        expect(head?.position).toBe(newestOther.position);
        const newestOfMine = await store.readAll({ direction: "backwards", maxCount: 2, streamPrefixes: [`${prefix}_head`] });
        expect(newestOfMine.map((e) => e.type)).toEqual(["B", "A"]);
        const [newestAnywhere] = await store.readAll({ direction: "backwards", maxCount: 1 });
        // Others may share the server: nothing older than ours is the newest.
        expect(newestAnywhere!.position >= newestOther.position).toBe(true);
        expect(await store.readAll({ direction: "backwards", maxCount: 1, streamPrefixes: [`${prefix}_none`] })).toEqual([]);
      });
    });

    describe("subscribe", () => {
      it("to a stream from the start: history, caught up, then live, in order and once", async () => {
        const stream = streamName("sub");
        await store.appendToStream(stream, [event("A"), event("B")]);
        const subscription = store.subscribeToStream(stream, { from: "start" });
        const history = await take(subscription, 3);
        expect(history.map(describeItem)).toEqual([`${stream}@0`, `${stream}@1`, "caughtUp"]);
        await store.appendToStream(stream, [event("C")]);
        const live = await take(subscription, 1);
        expect(live.map(describeItem)).toEqual([`${stream}@2`]);
        await subscription.stop();
      });

      it("to a stream after a revision is exclusive", async () => {
        const stream = streamName("after");
        await store.appendToStream(stream, [event("A"), event("B"), event("C")]);
        const subscription = store.subscribeToStream(stream, { from: { after: 0n } });
        const items = await take(subscription, 3);
        expect(items.map(describeItem)).toEqual([`${stream}@1`, `${stream}@2`, "caughtUp"]);
        await subscription.stop();
      });

      it("to a stream from the end sees only new events", async () => {
        const stream = streamName("end");
        await store.appendToStream(stream, [event("A")]);
        const subscription = store.subscribeToStream(stream, { from: "end" });
        const first = await take(subscription, 1);
        expect(first.map(describeItem)).toEqual(["caughtUp"]);
        await store.appendToStream(stream, [event("B")]);
        const live = await take(subscription, 1);
        expect(live.map(describeItem)).toEqual([`${stream}@1`]);
        await subscription.stop();
      });

      it("to the global log by prefix, after a position exclusively, then live", async () => {
        const a = streamName("all");
        const first = await store.appendToStream(a, [event("A")]);
        await store.appendToStream(`${prefix}zzz-1`, [event("Z")]);
        await store.appendToStream(a, [event("B")]);
        const subscription = store.subscribeToAll({ from: { after: first.position }, streamPrefixes: [`${prefix}_all`] });
        const history = await take(subscription, 2);
        expect(history.map(describeItem)).toEqual([`${a}@1`, "caughtUp"]);
        await store.appendToStream(a, [event("C")]);
        const live = await take(subscription, 1);
        expect(live.map(describeItem)).toEqual([`${a}@2`]);
        await subscription.stop();
      });

      it("a slow consumer gets every event in order with no gap and no duplicate", async () => {
        const stream = streamName("slow");
        const subscription = store.subscribeToStream(stream, { from: "start" });
        const received: RecordedEvent[] = [];
        const consumed = (async () => {
          for await (const item of subscription) {
            if (item.kind !== "event") continue;
            received.push(item.event);
            await new Promise((resolve) => setTimeout(resolve, 2));
            if (received.length === 60) break;
          }
        })();
        for (let i = 0; i < 6; i++) await store.appendToStream(stream, Array.from({ length: 10 }, () => event()));
        await consumed;
        expect(received.map((e) => Number(e.revision))).toEqual(Array.from({ length: 60 }, (_, i) => i));
        await subscription.stop();
      });

      it("stop ends the iteration", async () => {
        const stream = streamName("stop");
        await store.appendToStream(stream, [event()]);
        const subscription = store.subscribeToStream(stream, { from: "start" });
        const seen: string[] = [];
        const consumed = (async () => {
          for await (const item of subscription) seen.push(describeItem(item));
          return "ended";
        })();
        await expect.poll(() => seen).toEqual([`${stream}@0`, "caughtUp"]);
        await subscription.stop();
        await expect(consumed).resolves.toBe("ended");
        expect(seen).toEqual([`${stream}@0`, "caughtUp"]);
      });
    });
  });
}

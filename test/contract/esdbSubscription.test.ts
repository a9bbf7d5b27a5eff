// The EventStoreDB subscription's own logic against fake client streams (no server runs here): resume
// points after a drop, listener clean-up, a clear end when the server is never reached or never says
// it caught up, and a log line per try.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ResilientSubscription, type EsdbSubscription, type ResilienceOptions } from "../../src/eventstore/esdbSubscription.ts";
import type { RecordedEvent, SubscriptionItem } from "../../src/eventstore/port.ts";
import { take } from "./eventStoreContract.ts";

interface Chunk {
  revision: bigint;
}

/** A client subscription stand-in: a paused object stream the test writes chunks and signals into. */
class FakeClientSubscription extends PassThrough {
  unsubscribed = false;
  constructor() {
    super({ objectMode: true, highWaterMark: 4 });
  }
  async unsubscribe() {
    this.unsubscribed = true;
  }
  listeners_(): number {
    return ["readable", "caughtUp", "confirmation", "end", "close"].reduce((sum, name) => sum + this.listenerCount(name), 0);
  }
}

const connectionError = () => Object.assign(new Error("14 UNAVAILABLE: No connection established"), { type: "unavailable" });

function recorded(revision: bigint): RecordedEvent {
  return { id: `id-${revision}`, type: "Happened", data: {}, metadata: {}, streamId: "s-1", revision, position: revision, created: new Date(0) };
}

function harness(options: Partial<ResilienceOptions> = {}) {
  const opened: { from: bigint | "start"; sub: FakeClientSubscription }[] = [];
  const failOpens: { count: number } = { count: 0 };
  const logs: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  let checkpoint: bigint | "start" = "start";
  const log = {
    info: (fields: Record<string, unknown>, message: string) => logs.push({ level: "info", message, fields }),
    warn: (fields: Record<string, unknown>, message: string) => logs.push({ level: "warn", message, fields }),
  } as unknown as ResilienceOptions["log"];
  let finished = 0;
  const subscription = new ResilientSubscription<Chunk>(
    {
      async open() {
        if (failOpens.count > 0) {
          failOpens.count -= 1;
          throw connectionError();
        }
        const sub = new FakeClientSubscription();
        opened.push({ from: checkpoint, sub });
        return sub as unknown as EsdbSubscription<Chunk>;
      },
      accept(chunk) {
        checkpoint = chunk.revision;
        return recorded(chunk.revision);
      },
    },
    () => (finished += 1),
    { log, what: "subscription to s-1", connectTimeoutMs: 60_000, catchUpIdleTimeoutMs: 60_000, firstRetryDelayMs: 5, maxRetryDelayMs: 20, ...options },
  );
  return { subscription, opened, failOpens, logs, finished: () => finished };
}

const describeItem = (item: SubscriptionItem) => (item.kind === "caughtUp" ? "caughtUp" : `@${item.event.revision}`);

describe("the EventStoreDB subscription against fake client streams", () => {
  it("resubscribes after a dropped connection from the last event delivered: no gap, no duplicate, old listeners removed", async () => {
    const { subscription, opened, logs } = harness();
    const first = take(subscription, 3);
    await expect.poll(() => opened.length).toBe(1);
    opened[0]!.sub.write({ revision: 0n });
    opened[0]!.sub.write({ revision: 1n });
    opened[0]!.sub.emit("caughtUp");
    expect((await first).map(describeItem)).toEqual(["@0", "@1", "caughtUp"]);

    opened[0]!.sub.destroy(connectionError());
    const afterDrop = take(subscription, 2);
    await expect.poll(() => opened.length).toBe(2);
    expect(opened[1]!.from).toBe(1n);
    expect(opened[0]!.sub.listeners_()).toBe(0);
    expect(opened[0]!.sub.unsubscribed).toBe(true);
    opened[1]!.sub.emit("confirmation");
    opened[1]!.sub.emit("caughtUp"); // a second caught-up after a resubscription is not passed on
    opened[1]!.sub.write({ revision: 2n });
    opened[1]!.sub.write({ revision: 3n });
    expect((await afterDrop).map(describeItem)).toEqual(["@2", "@3"]);
    expect(logs.filter((l) => l.level === "warn").map((l) => l.message)).toEqual(["EventStoreDB subscription dropped, resubscribing"]);

    await subscription.stop();
    expect(opened[1]!.sub.listeners_()).toBe(0);
    expect(opened[1]!.sub.unsubscribed).toBe(true);
    expect(opened[1]!.sub.destroyed).toBe(true);
  });

  it("places caught-up after the events buffered before the signal", async () => {
    const { subscription, opened } = harness();
    const items = take(subscription, 4);
    await expect.poll(() => opened.length).toBe(1);
    opened[0]!.sub.write({ revision: 0n });
    opened[0]!.sub.write({ revision: 1n });
    opened[0]!.sub.emit("caughtUp");
    opened[0]!.sub.write({ revision: 2n });
    expect((await items).map(describeItem)).toEqual(["@0", "@1", "caughtUp", "@2"]);
    await subscription.stop();
  });

  it("retries an unreachable server with a log line per try, then stops with a clear error after the connect timeout", async () => {
    const { subscription, failOpens, logs, finished } = harness({ connectTimeoutMs: 150 });
    failOpens.count = 1_000;
    const iterator = subscription[Symbol.asyncIterator]();
    const error = await iterator.next().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toMatchObject({ code: "unavailable", message: expect.stringMatching(/unreachable for subscription to s-1: gave up after \d+ tries/) });
    const tries = logs.filter((l) => l.message === "EventStoreDB unreachable, retrying");
    expect(tries.length).toBeGreaterThan(1);
    expect(tries.map((l) => l.fields.attempt)).toEqual(tries.map((_, i) => i + 1));
    expect(logs[0]).toMatchObject({ level: "info", message: "waiting for EventStoreDB: catching up" });
    expect(finished()).toBe(1);
  });

  it("a server reached once is retried without a deadline", async () => {
    const { subscription, opened, failOpens } = harness({ connectTimeoutMs: 30 });
    const first = take(subscription, 1);
    await expect.poll(() => opened.length).toBe(1);
    opened[0]!.sub.emit("confirmation");
    opened[0]!.sub.write({ revision: 0n });
    await first;
    failOpens.count = 8;
    opened[0]!.sub.destroy(connectionError());
    const next = take(subscription, 1, 5000);
    await expect.poll(() => opened.length, { timeout: 5000 }).toBe(2);
    opened[1]!.sub.write({ revision: 1n });
    expect((await next).map(describeItem)).toEqual(["@1"]);
    await subscription.stop();
  });

  it("ends with a clear error when the server never says it caught up", async () => {
    const { subscription, opened } = harness({ catchUpIdleTimeoutMs: 100 });
    const iterator = subscription[Symbol.asyncIterator]();
    const first = iterator.next();
    await expect.poll(() => opened.length).toBe(1);
    opened[0]!.sub.emit("confirmation");
    opened[0]!.sub.write({ revision: 0n });
    expect((await first).value).toMatchObject({ kind: "event" });
    const error = await iterator.next().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(String((error as Error).message)).toMatch(/no caught-up signal .* 24\.2 or later/);
    expect(opened[0]!.sub.listeners_()).toBe(0);
  });

  it("does not take a consumer slower than the idle bound for a server that never catches up", async () => {
    const { subscription, opened } = harness({ catchUpIdleTimeoutMs: 150 });
    const iterator = subscription[Symbol.asyncIterator]();
    const first = iterator.next();
    await expect.poll(() => opened.length).toBe(1);
    opened[0]!.sub.write({ revision: 0n });
    expect((await first).value).toMatchObject({ kind: "event" });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the consumer is busy elsewhere
    const second = iterator.next();
    // The server answers well within the bound, counted from this request.
    setTimeout(() => {
      opened[0]!.sub.write({ revision: 1n });
      opened[0]!.sub.emit("caughtUp");
    }, 40);
    expect((await second).value).toMatchObject({ kind: "event", event: { revision: 1n } });
    expect((await iterator.next()).value).toEqual({ kind: "caughtUp" });
    await subscription.stop();
  });
});

// Issue #12: a big room's fan-out must not hold the event loop for all of its socket writes at once.
// The hub delivers a slice per turn, in order. Shown by the order of calls, never by time.
import { describe, expect, it } from "vitest";
import type { ProjectedEvent } from "../../src/projections/projection.ts";
import { LiveHub, type ConversationEvent } from "../../src/live/liveHub.ts";
import { SlicedDelivery } from "../../src/live/slicedDelivery.ts";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Records each delivery as "listener:event". */
function recorder(sliceSize: number) {
  const log: string[] = [];
  const delivery = new SlicedDelivery((listener, event) => log.push(`${String(listener)}:${String(event)}`), sliceSize);
  return { log, delivery };
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index}`);

describe("sliced delivery", () => {
  it("delivers a small room at once, in the caller's turn", () => {
    const { log, delivery } = recorder(4);
    delivery.add(names("l", 3), "e");
    expect(log).toEqual(["l0:e", "l1:e", "l2:e"]);
    expect(delivery.pending()).toBe(0);
  });

  it("delivers a big room a slice per turn, and work that arrives meanwhile runs between the slices", async () => {
    const { log, delivery } = recorder(4);
    delivery.add(names("l", 10), "e");
    expect(log).toHaveLength(4); // the first slice, now
    setImmediate(() => log.push("other work"));
    while (delivery.pending() > 0) await nextTurn();
    expect(log).toEqual(["l0:e", "l1:e", "l2:e", "l3:e", "l4:e", "l5:e", "l6:e", "l7:e", "other work", "l8:e", "l9:e"]);
  });

  it("delivers a quarter of what waits a turn (at least a slice), so a long queue drains in a handful of turns", async () => {
    const { log, delivery } = recorder(4);
    delivery.add(names("l", 100), "e");
    expect(log).toHaveLength(25);
    let turns = 0;
    while (delivery.pending() > 0) {
      await nextTurn();
      turns += 1;
    }
    expect(log).toEqual(names("l", 100).map((name) => `${name}:e`));
    expect(turns).toBeLessThanOrEqual(12); // 25, 19, 14, 11, 8, 6, 5, 4, 4, 4
  });

  it("keeps the order it was asked in: each listener hears the first event before the second, and a small room waits behind a big one", async () => {
    const { log, delivery } = recorder(4);
    delivery.add(names("a", 6), "first");
    delivery.add(names("a", 6), "second");
    delivery.add(["b0"], "third");
    while (delivery.pending() > 0) await nextTurn();
    expect(log).toEqual([...names("a", 6).map((name) => `${name}:first`), ...names("a", 6).map((name) => `${name}:second`), "b0:third"]);
  });

  it("takes a delivery asked for by a listener in line, once, after the slice under way", async () => {
    const log: string[] = [];
    const delivery: SlicedDelivery = new SlicedDelivery((listener, event) => {
      log.push(`${String(listener)}:${String(event)}`);
      if (listener === "l1" && event === "e") delivery.add(["x0", "x1"], "left");
    }, 4);
    delivery.add(names("l", 3), "e");
    while (delivery.pending() > 0) await nextTurn();
    expect(log).toEqual(["l0:e", "l1:e", "l2:e", "x0:left", "x1:left"]);
  });

  it("delivers at once, holding the caller up, once more than its bound is waiting (a sender faster than the fan-out)", () => {
    const log: string[] = [];
    const delivery = new SlicedDelivery((listener, event) => log.push(`${String(listener)}:${String(event)}`), 4, 10);
    delivery.add(names("l", 8), "first");
    expect(log).toHaveLength(4);
    delivery.add(names("l", 8), "second"); // 12 waiting: past the bound
    expect(log).toEqual([...names("l", 8).map((name) => `${name}:first`), ...names("l", 8).map((name) => `${name}:second`)]);
    expect(delivery.pending()).toBe(0);
  });

  it("flushes everything still waiting, at once", () => {
    const { log, delivery } = recorder(4);
    delivery.add(names("l", 10), "e");
    delivery.flush();
    expect(log).toHaveLength(10);
    expect(delivery.pending()).toBe(0);
  });
});

describe("the hub's fan-out to a big room", () => {
  const giveawayId = "00000000-0000-4000-8000-000000000001";
  const message = { id: "m1", giveawayId, revision: 5, senderId: "ann", senderName: "ann", content: "hi", sentAt: "2026-11-26T07:00:00.000Z" };
  const sent = {
    stream: "giveaway",
    giveawayId,
    recorded: { revision: 5n },
    event: { type: "MessageSent", data: {} },
  } as unknown as ProjectedEvent;

  it("returns from publish after the first slice; every stream gets the message once, and a throwing listener stops nobody", async () => {
    const hub = new LiveHub({ sliceSize: 8, messageAtRevision: () => message as never, participantsOf: () => undefined, unreadFor: () => ({ unreadCount: 0, unreadTotal: 0 }) });
    const heard = new Map<number, number>();
    let presenceFrames = 0;
    for (let index = 0; index < 30; index++) {
      hub.joinConversation(giveawayId, `user${index}`, (event: ConversationEvent) => {
        if (event.kind === "presence") presenceFrames += 1;
        if (event.kind !== "message") return;
        heard.set(index, (heard.get(index) ?? 0) + 1);
        if (index === 3) throw new Error("a broken stream");
      });
    }
    // Each join tells those already listening: 30 + 29 + ... + 1 presence frames, let them all out first.
    while (presenceFrames < (30 * 31) / 2) await nextTurn();
    hub.publish([sent]);
    expect(heard.size).toBe(8);
    for (let turn = 0; turn < 10 && heard.size < 30; turn++) await nextTurn();
    expect([...heard.values()]).toEqual(Array.from({ length: 30 }, () => 1));
  });
});

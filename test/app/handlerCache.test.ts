// Issue #9: the command handler's cache is bounded by bytes and keeps only what deciding needs, never
// a message's text.
import { inspect } from "node:util";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createGiveawayCommandHandler, type GiveawayCommandHandler } from "../../src/app/giveawayCommandHandler.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { makeTempDir } from "../support/tempDir.ts";

const ann = "00000000-0000-4000-8000-00000000000a";
const bob = "00000000-0000-4000-8000-00000000000b";
const now = new Date("2026-11-24T10:00:00Z");
const context = { actorId: ann, correlationId: "c", causationId: "c" };
let counter = 0;
const newId = () => `00000000-0000-4000-8000-${(++counter).toString(16).padStart(12, "0")}`;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function handlerOnTempStore(cacheBytes: number): GiveawayCommandHandler {
  const dir = makeTempDir("cache");
  const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  cleanups.push(async () => (await store.close(), dir.remove()));
  return createGiveawayCommandHandler({ store, newId, cacheBytes });
}

async function conversation(handle: GiveawayCommandHandler, giveawayId: string, messages: number, text: string) {
  await handle(giveawayId, { type: "CreateGiveaway", giveawayId, giverId: ann, title: "Lamp", now }, context);
  await handle(giveawayId, { type: "SubmitEntry", userId: bob, now }, context);
  await handle(giveawayId, { type: "ConductDraw", by: ann, now, pick: () => 0 }, context);
  let last;
  for (let i = 0; i < messages; i++) {
    last = await handle(giveawayId, { type: "SendMessage", messageId: newId(), senderId: ann, content: `${text} ${i}`, now }, context);
  }
  return last;
}

describe("the command handler's cache", () => {
  it("stays within its byte bound however many conversations pass through it, evicting the least recent", async () => {
    const maxBytes = 64 * 1024;
    const handle = handlerOnTempStore(maxBytes);
    const giveaways = Array.from({ length: 12 }, () => newId());
    for (const giveawayId of giveaways) {
      await conversation(handle, giveawayId, 40, "hello");
      expect(handle.cacheStats().bytes).toBeLessThanOrEqual(maxBytes);
    }
    const stats = handle.cacheStats();
    expect(stats.maxBytes).toBe(maxBytes);
    expect(stats.streams).toBeGreaterThan(0);
    expect(stats.streams).toBeLessThan(giveaways.length);
    // An evicted conversation is read again from the store and still decides correctly.
    const again = await handle(giveaways[0]!, { type: "SendMessage", messageId: newId(), senderId: bob, content: "still here", now }, context);
    expect(again.ok).toBe(true);
  });

  it("remembers a message by a digest of its text, not the text", async () => {
    const handle = handlerOnTempStore(1024 * 1024);
    const secret = "meet me at the blue door at 7";
    const result = await conversation(handle, newId(), 3, secret);
    expect(result?.ok).toBe(true);
    if (!result?.ok) throw new Error("expected a send");
    const { state } = result;
    expect(inspect(state, { depth: 20, showHidden: true })).not.toContain(secret);
    if (state.status !== "drawn") throw new Error("expected a drawn giveaway");
    expect(state.messages.size).toBe(3);
    const remembered = state.messages.get(result.appended[0]!.id);
    expect(remembered).toMatchObject({ senderId: ann, revision: 5 });
    expect(Object.keys(remembered!).sort()).not.toContain("content");
    expect(JSON.stringify(remembered)).not.toContain("blue door");
  });
});

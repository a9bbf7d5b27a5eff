import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createGiveawayCommandHandler } from "../../src/app/giveawayCommandHandler.ts";
import { EventMetadataSchema } from "../../src/domain/eventMetadata.ts";
import { chainHash, genesisHash } from "../../src/domain/hashChain.ts";
import { giveawayStream } from "../../src/domain/streams.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import type { EventStore } from "../../src/eventstore/port.ts";
import { makeTempDir } from "../support/tempDir.ts";

const ann = "00000000-0000-4000-8000-00000000000a";
const bob = "00000000-0000-4000-8000-00000000000b";
const giveawayId = "00000000-0000-4000-8000-0000000000f1";
const now = new Date("2026-11-24T10:00:00Z");
const context = (actorId: string) => ({ actorId, correlationId: "corr-1", causationId: "cause-1" });

let counter = 0;
const newId = () => `00000000-0000-4000-8000-${(++counter).toString(16).padStart(12, "0")}`;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function storeInTempDir(): EventStore {
  const dir = makeTempDir("handler");
  const store = openSqliteEventStore({ file: join(dir.path, "events.db") });
  cleanups.push(async () => (await store.close(), dir.remove()));
  return store;
}

async function drawnGiveaway(handle: ReturnType<typeof createGiveawayCommandHandler>) {
  for (const [actor, command] of [
    [ann, { type: "CreateGiveaway", giveawayId, giverId: ann, title: "Lamp", now }],
    [bob, { type: "SubmitEntry", userId: bob, now }],
    [ann, { type: "ConductDraw", by: ann, now, pick: () => 0 }],
  ] as const) {
    const result = await handle(giveawayId, command, context(actor));
    expect(result.ok).toBe(true);
  }
}

describe("giveaway command handler", () => {
  it("appends decided events with revisions, metadata and a hash chain", async () => {
    const store = storeInTempDir();
    const handle = createGiveawayCommandHandler({ store, newId });
    await drawnGiveaway(handle);
    const events = await store.readStream(giveawayStream(giveawayId));
    expect(events.map((e) => e.type)).toEqual(["GiveawayCreated", "EntrySubmitted", "DrawConducted"]);
    let prevHash = genesisHash;
    for (const event of events) {
      const metadata = EventMetadataSchema.parse(event.metadata);
      expect(metadata.prevHash).toBe(prevHash);
      const { actorId, correlationId, causationId } = metadata;
      const fields = { prevHash, streamId: event.streamId, revision: event.revision.toString(), id: event.id, type: event.type, data: event.data };
      expect(metadata.hash).toBe(chainHash({ ...fields, actorId, correlationId, causationId }));
      prevHash = metadata.hash;
    }
    expect(EventMetadataSchema.parse(events[1]!.metadata).actorId).toBe(bob);
  });

  it("stores a retried send once and refuses the same id with other content", async () => {
    const store = storeInTempDir();
    const handle = createGiveawayCommandHandler({ store, newId });
    await drawnGiveaway(handle);
    const messageId = "00000000-0000-4000-8000-0000000000aa";
    const send = (content: string) => handle(giveawayId, { type: "SendMessage", messageId, senderId: bob, content, now }, context(bob));
    const first = await send("Saturday?");
    const retried = await send("Saturday?");
    expect(first.ok && first.appended).toHaveLength(1);
    expect(retried.ok && retried.appended).toHaveLength(0);
    const conflict = await send("Sunday?");
    expect(!conflict.ok && conflict.error.code).toBe("message_id_conflict");
    const stored = await store.readStream(giveawayStream(giveawayId));
    expect(stored.filter((e) => e.id === messageId)).toHaveLength(1);
  });

  it("retries on a concurrent write by another process and keeps every message", async () => {
    const store = storeInTempDir();
    const handle = createGiveawayCommandHandler({ store, newId });
    // A second handler with its own cache stands for a second server on the same store.
    const other = createGiveawayCommandHandler({ store, newId });
    await drawnGiveaway(handle);
    await other(giveawayId, { type: "SendMessage", messageId: newId(), senderId: ann, content: "warm up", now }, context(ann));
    const sends = Array.from({ length: 10 }, (_, i) =>
      (i % 2 ? handle : other)(giveawayId, { type: "SendMessage", messageId: newId(), senderId: bob, content: `m${i}`, now }, context(bob)),
    );
    const results = await Promise.all(sends);
    expect(results.every((r) => r.ok)).toBe(true);
    const messages = (await store.readStream(giveawayStream(giveawayId))).filter((e) => e.type === "MessageSent");
    expect(messages).toHaveLength(11);
    const hashes = messages.map((e) => EventMetadataSchema.parse(e.metadata));
    for (let i = 1; i < hashes.length; i++) expect(hashes[i]!.prevHash).toBe(hashes[i - 1]!.hash);
  });

  it("returns refusals as values and writes nothing", async () => {
    const store = storeInTempDir();
    const handle = createGiveawayCommandHandler({ store, newId });
    const refused = await handle(giveawayId, { type: "SubmitEntry", userId: bob, now }, context(bob));
    expect(refused).toMatchObject({ ok: false, error: { code: "giveaway_not_found" } });
    await expect(store.readStream(giveawayStream(giveawayId))).rejects.toMatchObject({ code: "stream_not_found" });
  });
});

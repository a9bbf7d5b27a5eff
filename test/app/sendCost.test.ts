// Issue #12: a send must cost the same at message 10 and at message 10,000 of a conversation. Work is
// counted, never timed: events read from the store, map entries written by the fold, and the plans of
// the read model's lookups that answer a send (by revision) and a retried one (by id).
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createGiveawayCommandHandler, loadPageSize, type GiveawayCommandHandler } from "../../src/app/giveawayCommandHandler.ts";
import { chainHash, genesisHash } from "../../src/domain/hashChain.ts";
import { giveawayStream } from "../../src/domain/streams.ts";
import type { EventStore, EventToAppend } from "../../src/eventstore/port.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { conversationQueries } from "../../src/projections/conversationProjection.ts";
import { openReadModelDatabase } from "../../src/projections/readModelDatabase.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { declaredReadModels } from "../../src/app/declaredParts.ts";

const ann = "00000000-0000-4000-8000-00000000000a";
const bob = "00000000-0000-4000-8000-00000000000b";
const now = new Date("2026-11-24T10:00:00Z");
const context = { actorId: bob, correlationId: "c", causationId: "c" };
const uuid = (prefix: string, n: number) => `00000000-0000-4000-${prefix}-${n.toString(16).padStart(12, "0")}`;
let counter = 0;
const newId = () => uuid("8000", ++counter);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real SQLite store in a temp dir, closed and removed after the test. */
function tempStore(name: string): EventStore {
  const dir = makeTempDir(name);
  const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  cleanups.push(async () => (await store.close(), dir.remove()));
  return store;
}

/** A drawn giveaway whose conversation already holds `messages` messages, written with a valid chain. */
async function conversationOf(store: EventStore, giveawayId: string, messages: number): Promise<void> {
  const streamId = giveawayStream(giveawayId);
  const events: { type: string; data: unknown }[] = [
    { type: "GiveawayCreated", data: { giveawayId, giverId: ann, title: "Lamp", description: "", createdAt: now.toISOString() } },
    { type: "EntrySubmitted", data: { userId: bob, enteredAt: now.toISOString() } },
    { type: "DrawConducted", data: { winnerId: bob, drawnAt: now.toISOString() } },
  ];
  for (let i = 0; i < messages; i++) {
    const messageId = uuid("9000", i);
    events.push({ type: "MessageSent", data: { messageId, senderId: i % 2 ? ann : bob, content: `message ${i} `.repeat(20).trim(), sentAt: now.toISOString() } });
  }
  let prevHash = genesisHash;
  const chained: EventToAppend[] = events.map((event, revision) => {
    const id = event.type === "MessageSent" ? (event.data as { messageId: string }).messageId : newId();
    const hash = chainHash({ prevHash, streamId, revision: String(revision), id, type: event.type, data: event.data, ...context });
    const metadata = { ...context, prevHash, hash };
    prevHash = hash;
    return { id, type: event.type, data: event.data, metadata };
  });
  for (let from = 0; from < chained.length; from += 1000) await store.appendToStream(streamId, chained.slice(from, from + 1000));
}

interface SendCost {
  eventsRead: number;
  mapEntriesWritten: number;
}

/** The work of one send on a warm handler (the conversation is already folded in its cache). */
async function costOfOneSend(messages: number): Promise<SendCost> {
  const inner = tempStore("sendcost");
  let eventsRead = 0;
  const store: EventStore = {
    ...inner,
    readStream: async (...args) => {
      const read = await inner.readStream(...args);
      eventsRead += read.length;
      return read;
    },
  };
  const giveawayId = uuid("a000", messages);
  await conversationOf(store, giveawayId, messages);
  const handle: GiveawayCommandHandler = createGiveawayCommandHandler({ store, newId });
  const send = async () => {
    const result = await handle(giveawayId, { type: "SendMessage", messageId: newId(), senderId: bob, content: "on my way", now }, context);
    expect(result.ok && result.appended).toHaveLength(1);
  };
  await send(); // warms the cache: the one full read
  eventsRead = 0;
  const sets = vi.spyOn(Map.prototype, "set");
  await send();
  const cost = { eventsRead, mapEntriesWritten: sets.mock.calls.length };
  sets.mockRestore();
  return cost;
}

describe("the cost of a send", () => {
  it("is the same at message 10 and at message 10,000: events read and map entries written", async () => {
    const small = await costOfOneSend(10);
    const large = await costOfOneSend(10_000);
    expect(small.eventsRead).toBe(0);
    expect(large).toEqual(small);
    expect(large.mapEntriesWritten).toBeLessThan(10);
  }, 60_000);

  it("looks the sent message up by an index on (giveaway, id), not by scanning the conversation", () => {
    const dir = makeTempDir("sendcost");
    const db = openReadModelDatabase(join(dir.path, "readmodels.db"), declaredReadModels);
    cleanups.push(() => (db.close(), dir.remove()));
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    vi.spyOn(db, "prepare").mockImplementation(((sql: string) => (prepared.push(sql), prepare(sql))) as typeof db.prepare);
    const queries = conversationQueries(db);
    const byIdSql = prepared.find((sql) => /m\.id = \?/.test(sql));
    expect(byIdSql).toBeDefined();
    const insert = db.prepare("INSERT INTO messages (giveaway_id, revision, id, sender_id, content, sent_at) VALUES (?, ?, ?, ?, ?, ?)");
    const planAt = (messages: number) => {
      const giveawayId = uuid("b000", messages);
      db.transaction(() => {
        for (let i = 0; i < messages; i++) insert.run(giveawayId, i + 3, uuid("9000", i), bob, "hi", now.toISOString());
      })();
      db.exec("ANALYZE");
      expect(queries.messageById(giveawayId, uuid("9000", messages - 1))?.revision).toBe(messages + 2);
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${byIdSql!}`).all(giveawayId, uuid("9000", 0)) as { detail: string }[];
      return plan.map((row) => row.detail).find((detail) => / m /.test(` ${detail} `) || detail.includes("messages"));
    };
    const small = planAt(10);
    const large = planAt(10_000);
    expect(large).toMatch(/USING (COVERING )?INDEX messages_by_id \(giveaway_id=\? AND id=\?\)/);
    expect(large).toBe(small);
    // A new message's answer only asks whether its revision's row is there, and its sender's name.
    const asSentSql = prepared.find((sql) => /senderName FROM messages m .*m\.revision = \?$/s.test(sql));
    expect(asSentSql).toBeDefined();
    const asSentPlan = (db.prepare(`EXPLAIN QUERY PLAN ${asSentSql!}`).all(uuid("b000", 10_000), 3) as { detail: string }[]).map((row) => row.detail);
    expect(asSentPlan.join("; ")).toMatch(/SEARCH m USING (PRIMARY KEY|INDEX sqlite_autoindex_messages_\d+) \(giveaway_id=\? AND revision=\?\)/);
  });
});

describe("sends that arrive together on one conversation", () => {
  it("are stored together, in the order they came, each with its own revision and a whole chain", async () => {
    const inner = tempStore("sendbatch");
    let appends = 0;
    const store: EventStore = {
      ...inner,
      appendToStream: (...args) => {
        appends += 1;
        return inner.appendToStream(...args);
      },
    };
    const giveawayId = uuid("a000", 1);
    await conversationOf(inner, giveawayId, 0);
    const handle = createGiveawayCommandHandler({ store, newId });
    const send = (n: number) => handle(giveawayId, { type: "SendMessage", messageId: uuid("b000", n), senderId: bob, content: `together ${n}`, now }, context);

    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => send(n)));
    // The first is stored alone (nothing was in flight); the 19 that queued behind it go as one append.
    expect(appends).toBe(2);
    const revisions = results.map((result) => (result.ok ? Number(result.appended[0]!.revision) : -1));
    expect(revisions).toEqual(Array.from({ length: 20 }, (_, n) => 3 + n));
    const stored = await inner.readStream(giveawayStream(giveawayId), { fromRevision: 3n });
    expect(stored.map((event) => (event.data as { content: string }).content)).toEqual(Array.from({ length: 20 }, (_, n) => `together ${n}`));
    for (const [index, event] of stored.entries()) {
      const previous = index === 0 ? (await inner.readStream(giveawayStream(giveawayId), { fromRevision: 2n, maxCount: 1 }))[0]! : stored[index - 1]!;
      expect((event.metadata as { prevHash: string }).prevHash).toBe((previous.metadata as { hash: string }).hash);
    }
  });
});

describe("the first send on a long conversation (nothing cached: after a restart)", () => {
  it("reads the conversation a page at a time, letting other work run between pages, and still knows every message", async () => {
    const inner = tempStore("sendload");
    const reads: number[] = [];
    // A ticker of event-loop turns: which turn each page was read in.
    let turn = 0;
    const ticker = setInterval(() => (turn += 1), 0);
    cleanups.push(() => clearInterval(ticker));
    const readTurns: number[] = [];
    const store: EventStore = {
      ...inner,
      readStream: async (...args) => {
        const read = await inner.readStream(...args);
        reads.push(read.length);
        readTurns.push(turn);
        return read;
      },
    };
    const giveawayId = uuid("a000", 2);
    await conversationOf(inner, giveawayId, 2_500);
    const handle = createGiveawayCommandHandler({ store, newId });
    // The first message of the conversation, sent again with its id: a retry, known from the first page.
    const retry = await handle(giveawayId, { type: "SendMessage", messageId: uuid("9000", 0), senderId: bob, content: `message 0 `.repeat(20).trim(), now }, context);
    expect(retry.ok && retry.appended).toEqual([]);
    // 2,503 events, in pages of at most loadPageSize.
    expect(reads.reduce((sum, count) => sum + count, 0)).toBe(2_503);
    expect(Math.max(...reads)).toBeLessThanOrEqual(loadPageSize);
    expect(reads.length).toBe(Math.ceil(2_503 / loadPageSize));
    // Other work runs between the pages: each page is read in a later turn of the event loop.
    expect(new Set(readTurns).size).toBe(readTurns.length);
    // The last message is known too, and a new one chains on at the next revision.
    const clash = await handle(giveawayId, { type: "SendMessage", messageId: uuid("9000", 2_499), senderId: ann, content: "something else", now }, context);
    expect(clash.ok).toBe(false);
    const sent = await handle(giveawayId, { type: "SendMessage", messageId: newId(), senderId: bob, content: "on my way", now }, context);
    expect(sent.ok && Number(sent.appended[0]!.revision)).toBe(2_503);
  });
});

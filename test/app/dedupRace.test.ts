// The same message ids sent at once by two handlers (and two processes) on one store: every message is
// stored once, exactly one sender is told "written", and the hash chain stays intact.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { createGiveawayCommandHandler, type GiveawayCommandHandler } from "../../src/app/giveawayCommandHandler.ts";
import { verifyGiveaway } from "../../src/audit/chainVerification.ts";
import { giveawayStream } from "../../src/domain/streams.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import type { EventStore } from "../../src/eventstore/port.ts";
import { makeTempDir } from "../support/tempDir.ts";

const ann = "00000000-0000-4000-8000-00000000000a";
const bob = "00000000-0000-4000-8000-00000000000b";
const giveawayId = "00000000-0000-4000-8000-0000000000f2";
const now = new Date("2026-11-24T10:00:00Z");
const context = (name: string) => ({ actorId: bob, correlationId: name, causationId: name });
let counter = 0;
const newId = () => `00000000-0000-4000-8000-${(++counter).toString(16).padStart(12, "0")}`;
const messageIds = (count: number, offset: number) =>
  Array.from({ length: count }, (_, i) => `00000000-0000-4000-9000-${(offset + i).toString(16).padStart(12, "0")}`);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempStoreFile(): string {
  const dir = makeTempDir("dedup");
  cleanups.push(() => dir.remove());
  return join(dir.path, "events.db");
}

function openStore(file: string): EventStore {
  const store = openSqliteEventStore({ file });
  cleanups.push(() => store.close());
  return store;
}

async function drawnGiveaway(handle: GiveawayCommandHandler) {
  for (const command of [
    { type: "CreateGiveaway", giveawayId, giverId: ann, title: "Lamp", now },
    { type: "SubmitEntry", userId: bob, now },
    { type: "ConductDraw", by: ann, now, pick: () => 0 },
  ] as const) {
    expect((await handle(giveawayId, command, { actorId: ann, correlationId: "setup", causationId: "setup" })).ok).toBe(true);
  }
}

async function storedMessageIds(store: EventStore): Promise<string[]> {
  return (await store.readStream(giveawayStream(giveawayId))).filter((e) => e.type === "MessageSent").map((e) => e.id);
}

describe("a deduplicated append", () => {
  it("two handlers racing on the same message ids: stored once, one told written, chain intact", async () => {
    const store = openStore(tempStoreFile());
    const first = createGiveawayCommandHandler({ store, newId });
    const second = createGiveawayCommandHandler({ store, newId });
    await drawnGiveaway(first);
    await first(giveawayId, { type: "SendMessage", messageId: newId(), senderId: bob, content: "warm up", now }, context("warm"));
    await second(giveawayId, { type: "MarkConversationRead", userId: bob, upToRevision: 3, now }, context("warm"));

    const ids = messageIds(20, 0);
    for (const [index, messageId] of ids.entries()) {
      // Another clock and request id in each: the events differ in everything but their id, as real retries do.
      const send = (handle: GiveawayCommandHandler, name: string, at: Date) =>
        handle(giveawayId, { type: "SendMessage", messageId, senderId: bob, content: `m${index}`, now: at }, context(`${name}-${index}`));
      const results = await Promise.all([send(first, "first", now), send(second, "second", new Date(now.getTime() + 1000))]);
      const written = results.map((r) => (r.ok ? r.appended.length : -1));
      expect(written.sort()).toEqual([0, 1]);
      // The loser answers with the stored state: the message stands at the revision the winner wrote.
      expect(results.map((r) => r.ok && r.revision)).toEqual([results[0]!.ok && results[0]!.revision, results[0]!.ok && results[0]!.revision]);
    }
    // Both go on writing on top of what is stored, each from its own cache.
    for (const [index, messageId] of messageIds(4, 100).entries()) {
      const handle = index % 2 ? first : second;
      expect((await handle(giveawayId, { type: "SendMessage", messageId, senderId: ann, content: "after", now }, context("after"))).ok).toBe(true);
    }
    expect((await storedMessageIds(store)).filter((id) => ids.includes(id))).toEqual(ids);
    const verified = await verifyGiveaway(store, giveawayId);
    expect(verified.break).toBeUndefined();
    expect(verified.events).toBe(3 + 1 + 1 + 20 + 4);
  });

  it("a clash under a stored id (other content) is refused, not answered as the stored message", async () => {
    const store = openStore(tempStoreFile());
    const first = createGiveawayCommandHandler({ store, newId });
    const second = createGiveawayCommandHandler({ store, newId });
    await drawnGiveaway(first);
    const messageId = messageIds(1, 500)[0]!;
    const send = (handle: GiveawayCommandHandler, content: string) =>
      handle(giveawayId, { type: "SendMessage", messageId, senderId: bob, content, now }, context(content));
    const [a, b] = await Promise.all([send(first, "Saturday?"), send(second, "Sunday?")]);
    expect(a).toMatchObject({ ok: true });
    expect(b).toMatchObject({ ok: false, error: { code: "message_id_conflict" } });
    expect((await verifyGiveaway(store, giveawayId)).break).toBeUndefined();
  });

  it("two processes on one embedded store sending the same ids: stored once each, chain intact", async () => {
    const file = tempStoreFile();
    const store = openStore(file);
    await drawnGiveaway(createGiveawayCommandHandler({ store, newId }));
    const ids = messageIds(60, 1000);
    const senders = ["left", "right"].map((name) => {
      const child = spawn(process.execPath, ["--import", "tsx", "test/support/raceSender.ts", file, giveawayId, bob, name, ids.join(",")], {
        stdio: ["pipe", "pipe", "inherit"],
      });
      cleanups.push(() => void child.kill("SIGKILL"));
      const lines: string[] = [];
      const ready = new Promise<void>((resolve) =>
        createInterface({ input: child.stdout! }).on("line", (line) => (line === "ready" ? resolve() : lines.push(line))),
      );
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      return { child, lines, ready, exited };
    });
    await Promise.all(senders.map((sender) => sender.ready));
    for (const sender of senders) sender.child.stdin!.write("go\n");
    expect(await Promise.all(senders.map((sender) => sender.exited))).toEqual([0, 0]);

    const writtenBy = new Map<string, number>();
    for (const line of senders.flatMap((sender) => sender.lines)) {
      const [, id, outcome] = line.split(" ");
      if (outcome === "written") writtenBy.set(id!, (writtenBy.get(id!) ?? 0) + 1);
    }
    expect(ids.filter((id) => writtenBy.get(id) !== 1)).toEqual([]);
    expect(await storedMessageIds(store)).toEqual(ids);
    const verified = await verifyGiveaway(store, giveawayId);
    expect(verified.break).toBeUndefined();
    expect(verified.events).toBe(3 + ids.length);
  }, 60_000);
});

// The bulk build (src/projections/bulkRebuild.ts) writes the rows the projection runner writes, over
// a log with every kind of conversation event, and reads events as the catalogue's parse does.
import { cpSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFreshReadModels } from "../../src/audit/readModelRebuild.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import type { EventStore, RecordedEvent } from "../../src/eventstore/port.ts";
import { BulkApplyError, buildReadModelsInBulk } from "../../src/projections/bulkRebuild.ts";
import { startProjectionRunner, toProjectedEvent } from "../../src/projections/projectionRunner.ts";
import { openReadModelDatabase } from "../../src/projections/readModelDatabase.ts";
import { toTrustedProjectedEvent } from "../../src/projections/trustedEvents.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { declaredReadModels } from "../../src/app/declaredParts.ts";

/** Deterministic: the same log on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const uuid = (prefix: number, n: number) => `${prefix.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const instant = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();

/** Users, giveaways, draws and redraws, and conversations with every kind of event, interleaved. */
async function writeVariedLog(store: EventStore, seed: number): Promise<number> {
  const next = random(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  let clock = 0;
  let written = 0;
  const users = Array.from({ length: 8 }, (_, i) => uuid(1, i));
  for (const [i, userId] of users.entries()) {
    await store.appendToStream(`user-${userId}`, [{ id: uuid(9, ++written), type: "UserRegistered", data: { userId, username: `user${i}`, passwordHash: "x$y", registeredAt: instant(clock++) } }]);
  }
  await store.appendToStream(`user-${users[0]}`, [{ id: uuid(9, ++written), type: "UserBlocked", data: { userId: users[0], blockedUserId: users[1], blockedAt: instant(clock++) } }]);
  interface Giveaway { id: string; giver: string; winner?: string; revision: number; messages: string[]; attachments: string[] }
  const giveaways: Giveaway[] = [];
  const append = async (giveaway: Giveaway, type: string, data: Record<string, unknown>) => {
    await store.appendToStream(`giveaway-${giveaway.id}`, [{ id: uuid(9, ++written), type, data }]);
    giveaway.revision += 1;
  };
  for (let step = 0; step < 900; step++) {
    const roll = next();
    if (giveaways.length < 3 || roll < 0.04) {
      const giveaway: Giveaway = { id: uuid(2, giveaways.length), giver: pick(users), revision: -1, messages: [], attachments: [] };
      giveaways.push(giveaway);
      // Some written before descriptions existed (the default applies), some with untrimmed text.
      const data: Record<string, unknown> = { giveawayId: giveaway.id, giverId: giveaway.giver, title: `Giveaway ${giveaways.length}`, createdAt: instant(clock++) };
      if (next() < 0.5) data.description = "a lamp";
      await append(giveaway, "GiveawayCreated", data);
      continue;
    }
    const giveaway = pick(giveaways);
    const other = pick(users.filter((user) => user !== giveaway.giver));
    if (!giveaway.winner) {
      if (next() < 0.6) await append(giveaway, "EntrySubmitted", { userId: other, enteredAt: instant(clock++) });
      else {
        giveaway.winner = other;
        await append(giveaway, "DrawConducted", { winnerId: other, drawnAt: instant(clock++) });
      }
      continue;
    }
    const participant = next() < 0.5 ? giveaway.giver : giveaway.winner;
    const message = giveaway.messages.length > 0 ? pick(giveaway.messages) : undefined;
    const kind = next();
    if (kind < 0.45 || !message) {
      const messageId = uuid(3, written);
      const data: Record<string, unknown> = { messageId, senderId: participant, content: `${next() < 0.2 ? "  " : ""}hello ${"é".repeat(Math.floor(next() * 150))}`, sentAt: instant(clock++) };
      if (message && next() < 0.2) data.replyTo = message;
      if (giveaway.attachments.length > 0 && next() < 0.3) data.attachmentIds = [pick(giveaway.attachments)];
      giveaway.messages.push(messageId);
      await append(giveaway, "MessageSent", data);
    } else if (kind < 0.55) await append(giveaway, "ConversationRead", { userId: participant, upToRevision: Math.floor(next() * (giveaway.revision + 1)), readAt: instant(clock++) });
    else if (kind < 0.6) await append(giveaway, "SystemMessagePosted", { messageId: uuid(4, written), content: "Reminder from the platform", postedAt: instant(clock++) });
    else if (kind < 0.66) await append(giveaway, "ReactionAdded", { messageId: message, userId: participant, emoji: pick(["👍", "❤️", "😂"]), reactedAt: instant(clock++) });
    else if (kind < 0.69) await append(giveaway, "ReactionRemoved", { messageId: message, userId: participant, emoji: pick(["👍", "❤️"]), removedAt: instant(clock++) });
    else if (kind < 0.73) await append(giveaway, "MessageEdited", { messageId: message, editorId: participant, content: ` edited ${written} `, editedAt: instant(clock++) });
    else if (kind < 0.75) await append(giveaway, "MessageRetracted", { messageId: message, retractedBy: participant, retractedAt: instant(clock++) });
    else if (kind < 0.76) await append(giveaway, "MessageHidden", { messageId: message, moderatorId: users[7], hiddenAt: instant(clock++), reason: "spam" });
    else if (kind < 0.8) {
      const attachmentId = uuid(5, written);
      giveaway.attachments.push(attachmentId);
      await append(giveaway, "AttachmentUploaded", { attachmentId, uploaderId: participant, sha256: "a".repeat(64), contentType: "image/png", size: 10, uploadedAt: instant(clock++) });
    } else if (kind < 0.82) await append(giveaway, "ConversationMuted", { userId: participant, mutedAt: instant(clock++) });
    else if (kind < 0.84) await append(giveaway, "ConversationUnmuted", { userId: participant, unmutedAt: instant(clock++) });
    else if (kind < 0.87) {
      const previous = giveaway.winner;
      giveaway.winner = pick(users.filter((user) => user !== giveaway.giver));
      await append(giveaway, "WinnerRedrawn", { winnerId: giveaway.winner, previousWinnerId: previous, reason: "no_show", redrawnAt: instant(clock++) });
    } else if (kind < 0.9) await append(giveaway, "PickupProposed", { proposalId: uuid(6, written), proposedBy: participant, from: instant(clock), to: instant(clock + 3600), place: " the door ", proposedAt: instant(clock++) });
    else if (kind < 0.92) await append(giveaway, "HandoverConfirmed", { userId: participant, side: pick(["handed_over", "received"]), confirmedAt: instant(clock++) });
    else await append(giveaway, "MessageSent", { messageId: uuid(7, written), senderId: participant, content: "short", sentAt: instant(clock++) });
  }
  return written;
}

/** Every table's rows in rowid order where there is one (the order an insert-only table returns them in). */
function dumpFile(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const objects = db.prepare<[], { type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
    const dump: Record<string, unknown[]> = { schema: objects };
    for (const { type, name, sql } of objects) {
      if (type !== "table") continue;
      const order = sql?.includes("WITHOUT ROWID") ? "" : " ORDER BY rowid";
      dump[name] = db.prepare(`SELECT ${order ? "rowid AS _rowid, " : ""}* FROM "${name}"${order}`).all();
    }
    dump.user_version = [db.pragma("user_version", { simple: true })];
    return dump;
  } finally {
    db.close();
  }
}

async function runnerBuild(store: EventStore, file: string): Promise<void> {
  const db = openReadModelDatabase(file, declaredReadModels);
  try {
    const runner = startProjectionRunner({ projections: declaredReadModels, store, db, batchSize: 100 });
    await runner.caughtUp;
    await runner.stop();
    await runner.done;
  } finally {
    db.close();
  }
}

let dir: ReturnType<typeof makeTempDir>;
let store: EventStore;
let events: number;

beforeAll(async () => {
  dir = makeTempDir("bulk-rebuild");
  store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  events = await writeVariedLog(store, 24);
}, 60_000);

afterAll(async () => {
  await store?.close();
  dir?.remove();
});

describe("bulk rebuild", () => {
  it("writes exactly the rows, rowids, indexes and checkpoints the projection runner writes", async () => {
    await runnerBuild(store, join(dir.path, "runner.db"));
    const built = await buildReadModelsInBulk({ projections: declaredReadModels, store, file: join(dir.path, "bulk.db"), transactionEvents: 97, pageSize: 64 });
    const expected = dumpFile(join(dir.path, "runner.db"));
    const actual = dumpFile(join(dir.path, "bulk.db"));
    // The log exercised what it is meant to (or the comparison below would prove little).
    expect((expected.inbox ?? []).length).toBeGreaterThan(10);
    expect((expected.messages as { edited_at: string | null }[]).some((row) => row.edited_at !== null)).toBe(true);
    expect((expected.messages as { retracted_at: string | null }[]).some((row) => row.retracted_at !== null)).toBe(true);
    expect((expected.reactions ?? []).length).toBeGreaterThan(0);
    expect((expected.inbox as { unread_count: number }[]).some((row) => row.unread_count > 0)).toBe(true);
    expect((expected.pickup_rounds as { until_revision: number | null }[]).some((row) => row.until_revision !== null)).toBe(true);
    for (const table of Object.keys(expected)) expect(actual[table], table).toEqual(expected[table]);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    expect(built.events).toBeGreaterThan(events * 0.9);
  });

  it("reads a store without the bulk page reader (EventStoreDB) through a catch-up subscription, to the same rows", async () => {
    const generic: EventStore = { ...store, readAllPage: undefined };
    await buildReadModelsInBulk({ projections: declaredReadModels, store: generic, file: join(dir.path, "generic.db"), pageSize: 50 });
    const expected = dumpFile(join(dir.path, "runner.db"));
    const actual = dumpFile(join(dir.path, "generic.db"));
    for (const table of Object.keys(expected)) expect(actual[table], table).toEqual(expected[table]);
  });

  it("is left in WAL mode, whole, with no journal beside it", async () => {
    const file = join(dir.path, "bulk.db");
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
    expect(readdirSync(dir.path).filter((name) => name.startsWith("bulk.db-wal")).every((name) => name.endsWith("-wal") || name.endsWith("-shm"))).toBe(true);
  });

  it("reads every event of the log and of the stored fixtures as the catalogue's parse does (trims, defaults, key order)", async () => {
    const fixtures = fileURLToPath(new URL("../fixtures", import.meta.url));
    const stores = [store];
    const opened: EventStore[] = [];
    for (const name of readdirSync(fixtures).filter((name) => name.startsWith("store-"))) {
      // A copy: opening a store migrates and writes its file, and tracked fixtures must never change.
      const copy = join(dir.path, `fixture-${name}`);
      cpSync(join(fixtures, name), copy, { recursive: true });
      const fixture = openSqliteEventStore({ file: join(copy, "events.db"), durability: "normal" });
      opened.push(fixture);
      stores.push(fixture);
    }
    try {
      let compared = 0;
      for (const each of stores) {
        const all: RecordedEvent[] = each.readAllPage!({ fromPosition: 0n, maxCount: 1_000_000 });
        expect(all.length).toBe((await each.readAll()).length);
        for (const recorded of all) {
          const checked = toProjectedEvent(recorded);
          const trusted = toTrustedProjectedEvent(recorded);
          expect(JSON.stringify(trusted?.event), `${recorded.type} at ${recorded.position}`).toBe(JSON.stringify(checked?.event));
          if (checked) compared++;
        }
      }
      expect(compared).toBeGreaterThan(500);
    } finally {
      for (const fixture of opened) await fixture.close();
    }
  });

  it("a page read in bulk carries the same metadata and created time as readAll", async () => {
    const [paged] = store.readAllPage!({ fromPosition: 5n, maxCount: 1 });
    const [read] = await store.readAll({ fromPosition: 5n, maxCount: 1 });
    expect(paged!.metadata).toEqual(read!.metadata);
    expect(paged!.created.toISOString()).toBe(read!.created.toISOString());
    expect({ ...paged!, metadata: undefined, created: undefined }).toMatchObject({ ...read!, metadata: undefined, created: undefined });
  });

  it("an event a projection cannot apply: the bulk build stops, and the rebuild falls back to the runner, which stops only that projection", async () => {
    const broken = makeTempDir("bulk-rebuild-broken");
    const brokenStore = openSqliteEventStore({ file: join(broken.path, "events.db"), durability: "normal" });
    try {
      await writeVariedLog(brokenStore, 7);
      const giveawayStream = (await brokenStore.readAll()).find((event) => event.type === "DrawConducted")!.streamId;
      // Not something the command handler would write: content must be a string.
      await brokenStore.appendToStream(giveawayStream, [{ id: uuid(8, 1), type: "MessageSent", data: { messageId: uuid(8, 2), senderId: uuid(1, 1), content: 42, sentAt: instant(1) } }]);
      await expect(buildReadModelsInBulk({ projections: declaredReadModels, store: brokenStore, file: join(broken.path, "bulk.db") })).rejects.toBeInstanceOf(BulkApplyError);
      const result = await buildFreshReadModels({ projections: declaredReadModels, store: brokenStore, file: join(broken.path, "fresh.db") });
      expect(result.stopped.length).toBeGreaterThan(0);
      expect(result.stopped.join("\n")).toMatch(/invalid MessageSent event/);
      await runnerBuild(brokenStore, join(broken.path, "runner.db"));
      const expected = dumpFile(join(broken.path, "runner.db"));
      const actual = dumpFile(join(broken.path, "fresh.db"));
      for (const table of Object.keys(expected)) if (table !== "projection_status") expect(actual[table], table).toEqual(expected[table]);
    } finally {
      await brokenStore.close();
      broken.remove();
    }
  });
});

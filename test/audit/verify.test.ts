// Tampering with the embedded store's file is caught by verify, which names the first broken event.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyAllGiveaways, verifyGiveaway } from "../../src/audit/chainVerification.ts";
import { chainHash } from "../../src/domain/hashChain.ts";
import { giveawayStream } from "../../src/domain/streams.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { drawnGiveaway, registerUser, runCliCommand, send } from "./auditFixtures.ts";

let dir: ReturnType<typeof makeTempDir>;
let server: TestServer | undefined;
let tampered: string;
let untouched: string;

/** Two giveaways with a conversation each; the server is stopped so the file can be edited. */
beforeEach(async () => {
  dir = makeTempDir("verify");
  server = await startTestServer({ dataDir: dir.path });
  const { handoff } = server;
  const giver = await registerUser(handoff, "gina");
  const winner = await registerUser(handoff, "walt");
  tampered = await drawnGiveaway(handoff, giver, winner);
  untouched = await drawnGiveaway(handoff, giver, winner);
  for (const [index, content] of ["Hi!", "Hello", "Saturday?", "Yes", "Great"].entries()) {
    await send(handoff, tampered, index % 2 === 0 ? giver : winner, content);
    await send(handoff, untouched, index % 2 === 0 ? winner : giver, content);
  }
  await server.stop();
  server = undefined;
});

afterEach(async () => {
  await server?.stop();
  dir.remove();
});

interface Row {
  revision: number;
  event_id: string;
}

/** Edits events.db directly, as someone with access to the file could. */
function editStore<T>(edit: (db: Database.Database, streamId: string) => T): T {
  const db = new Database(join(dir.path, "events.db"));
  try {
    return edit(db, giveawayStream(tampered));
  } finally {
    db.close();
  }
}

const eventAt = (db: Database.Database, streamId: string, revision: number) =>
  db.prepare<[string, number], Row>("SELECT revision, event_id FROM events WHERE stream_id = ? AND revision = ?").get(streamId, revision)!;

async function verifyInProcess() {
  const store = openSqliteEventStore({ file: join(dir.path, "events.db") });
  try {
    return { one: await verifyGiveaway(store, tampered), all: await verifyAllGiveaways(store) };
  } finally {
    await store.close();
  }
}

const cli = (args: string[]) => runCliCommand("verify", args, { DATA_DIR: dir.path });

describe("verify", () => {
  it("passes an untouched store: exit 0 with a summary", async () => {
    const { one, all } = await verifyInProcess();
    expect(one.break).toBeUndefined();
    expect(one.events).toBe(8);
    expect(all).toEqual({ streams: 2, events: 16, breaks: [] });
    const result = await cli([]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^OK 2 giveaway streams, 16 events: hash chains intact/);
    const single = await cli([tampered]);
    expect(single.code).toBe(0);
    expect(single.stdout).toMatch(new RegExp(`^OK giveaway-${tampered}: 8 events, head revision 7, head hash [0-9a-f]{64}`));
  });

  it("names the event whose stored data was edited", async () => {
    const edited = editStore((db, streamId) => {
      db.prepare("UPDATE events SET data = json_set(data, '$.content', 'I never said Saturday') WHERE stream_id = ? AND revision = 5").run(streamId);
      return eventAt(db, streamId, 5);
    });
    const { one, all } = await verifyInProcess();
    expect(one.break).toMatchObject({ kind: "altered", streamId: giveawayStream(tampered), revision: 5n, eventId: edited.event_id });
    expect(all.breaks).toEqual([one.break]);
    expect(all.streams).toBe(2);

    const result = await cli([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`BROKEN giveaway-${tampered} revision 5 event ${edited.event_id}: altered`);
    expect(result.stdout).not.toContain(untouched);
    const single = await cli([tampered]);
    expect(single.code).toBe(1);
    expect(single.stdout).toContain(`revision 5 event ${edited.event_id}: altered`);
    const other = await cli([untouched]);
    expect(other.code).toBe(0);
  });

  it("names the first missing revision when an event was deleted", async () => {
    const after = editStore((db, streamId) => {
      db.prepare("DELETE FROM events WHERE stream_id = ? AND revision = 4").run(streamId);
      return eventAt(db, streamId, 5);
    });
    const { one, all } = await verifyInProcess();
    expect(one.break).toMatchObject({ kind: "removed", revision: 4n, eventId: undefined });
    expect(one.break?.detail).toContain(after.event_id);
    expect(all.breaks).toEqual([one.break]);
    const result = await cli([tampered]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`BROKEN giveaway-${tampered} revision 4: removed: revision 4 is missing`);
  });

  it("names the first misplaced event when two were swapped", async () => {
    const [fifth, sixth] = editStore((db, streamId) => {
      const before = [eventAt(db, streamId, 5), eventAt(db, streamId, 6)];
      const move = db.prepare("UPDATE events SET revision = ? WHERE stream_id = ? AND revision = ?");
      db.transaction(() => {
        move.run(-1, streamId, 5);
        move.run(5, streamId, 6);
        move.run(6, streamId, -1);
      })();
      return before;
    });
    const { one, all } = await verifyInProcess();
    // Revision 5 now holds the event written as revision 6.
    expect(one.break).toMatchObject({ kind: "reordered", revision: 5n, eventId: sixth!.event_id });
    expect(one.break?.detail).toContain("written at revision 6");
    expect(fifth!.event_id).not.toBe(sixth!.event_id);
    expect(all.breaks).toEqual([one.break]);
    const result = await cli([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`revision 5 event ${sixth!.event_id}: reordered`);
  });

  it("names an event rewritten with a recomputed hash, through the next event's link", async () => {
    const replaced = editStore((db, streamId) => {
      // A forger who edits a message and recomputes its own hash: only the next event's prevHash gives it away.
      const row = db.prepare<[string], { event_id: string; type: string; data: string; metadata: string }>("SELECT * FROM events WHERE stream_id = ? AND revision = 6").get(streamId)!;
      const data = { ...JSON.parse(row.data), content: "Never mind, it is gone" };
      const { actorId, correlationId, causationId, prevHash } = JSON.parse(row.metadata);
      const fields = { prevHash, streamId, revision: "6", id: row.event_id, type: row.type, data, actorId, correlationId, causationId };
      const metadata = { actorId, correlationId, causationId, prevHash, hash: chainHash(fields) };
      db.prepare("UPDATE events SET data = ?, metadata = ? WHERE stream_id = ? AND revision = 6").run(JSON.stringify(data), JSON.stringify(metadata), streamId);
      return row;
    });
    const { one, all } = await verifyInProcess();
    expect(one.break).toMatchObject({ kind: "altered", revision: 6n, eventId: replaced.event_id });
    expect(one.break?.detail).toContain("the next event (revision 7");
    expect(all.breaks).toEqual([one.break]);
  });

  it("cannot run without a store or with extra arguments: exit 2", async () => {
    expect((await runCliCommand("verify", [], { DATA_DIR: join(dir.path, "missing") })).code).toBe(2);
    expect((await cli(["a", "b"])).code).toBe(2);
    const unknown = await cli(["0b6f4c1e-8a52-4f0e-9a3d-2b7c1d9e4f01"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no giveaway");
  });
});

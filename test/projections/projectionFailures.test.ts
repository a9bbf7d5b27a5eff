// A projection that cannot apply an event stops alone: the others go on, and the failure names the event.
import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import type { EventStore } from "../../src/eventstore/port.ts";
import { metrics } from "../../src/observability/metrics.ts";
import type { Projection } from "../../src/projections/projection.ts";
import { startProjectionRunner, type ProjectionRunner } from "../../src/projections/projectionRunner.ts";
import { clearFailure, readProjectionStates, skipFailedEvent } from "../../src/projections/projectionStatus.ts";
import { openReadModelDatabase } from "../../src/projections/readModelDatabase.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { declaredReadModels } from "../../src/app/declaredParts.ts";

const userId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function registered(n: number) {
  return { id: userId(n), type: "UserRegistered", data: { userId: userId(n), username: `user${n}`, passwordHash: "x", registeredAt: "2026-11-24T10:00:00.000Z" } };
}

/** Records the users it applied in its own table; throws on the users in `poison`. */
function countingProjection(name: string, poison: Set<string>): Projection {
  return {
    name,
    schema: "",
    prepare(db) {
      db.exec(`CREATE TABLE IF NOT EXISTS seen_${name} (user_id TEXT PRIMARY KEY)`);
      const insert = db.prepare(`INSERT INTO seen_${name} (user_id) VALUES (?)`);
      return (projected) => {
        if (projected.stream !== "user" || projected.event.type !== "UserRegistered") return;
        const id = projected.event.data.userId;
        insert.run(id); // written before the throw: the savepoint must undo it
        if (poison.has(id)) throw new Error(`cannot apply user ${id}`);
      };
    },
  };
}

describe("a failing projection", () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    for (const dir of dirs.splice(0)) dir.remove();
  });

  async function setUp(poison: Set<string>) {
    const dir = makeTempDir("projection-failure");
    dirs.push(dir);
    const store: EventStore = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
    const db = openReadModelDatabase(join(dir.path, "readmodels.db"), declaredReadModels);
    const projections = [countingProjection("fragile", poison), countingProjection("sturdy", new Set())];
    // What each projection's committed table holds (a batch retried after a rollback counts once).
    const seen = (name: string) => () => db.prepare(`SELECT user_id FROM seen_${name} ORDER BY user_id`).pluck().all() as string[];
    const fragileSeen = seen("fragile");
    const sturdySeen = seen("sturdy");
    let runner: ProjectionRunner | undefined;
    const start = () => (runner = startProjectionRunner({ store, db, projections, statusPollMs: 20 }));
    cleanups.push(async () => {
      await runner?.stop();
      db.close();
      await store.close();
    });
    return { store, db, start, fragileSeen, sturdySeen, runner: () => runner! };
  }

  it("stops alone, names the event's stream and revision, and the others go on (live and after a restart)", async () => {
    const poison = new Set([userId(2)]);
    const { store, db, start, fragileSeen, sturdySeen, runner } = await setUp(poison);
    const failuresBefore = (await metrics.projectionFailures.get()).values.find((v) => v.labels.projection === "fragile")?.value ?? 0;
    start();
    await runner().caughtUp;
    for (const n of [1, 2, 3]) await store.appendToStream(`user-${userId(n)}`, [registered(n)]);
    await expect.poll(() => sturdySeen().length).toBe(3);
    await expect.poll(() => runner().failureOf("fragile")).toMatchObject({ streamId: `user-${userId(2)}`, revision: 0n, type: "UserRegistered" });
    expect(fragileSeen()).toEqual([userId(1)]);
    expect(runner().failureOf("sturdy")).toBeUndefined();
    expect(runner().fatalError()).toBeUndefined();
    // Its half-done write was undone with it; the failure is kept in the read model file.
    expect(readProjectionStates(db).find((s) => s.name === "fragile")?.failure?.error).toContain("cannot apply user");
    const failuresAfter = (await metrics.projectionFailures.get()).values.find((v) => v.labels.projection === "fragile")?.value ?? 0;
    expect(failuresAfter).toBe(failuresBefore + 1);

    // A restart does not retry it on its own, and does not hold the others back.
    await runner().stop();
    start();
    await runner().caughtUp;
    await store.appendToStream(`user-${userId(4)}`, [registered(4)]);
    await expect.poll(() => sturdySeen().length).toBe(4);
    expect(runner().failureOf("fragile")?.revision).toBe(0n);
    expect(fragileSeen()).toEqual([userId(1)]);

    // The operator's retry after a fix: it applies the event again and catches up, without a restart.
    poison.clear();
    clearFailure(db, "fragile");
    await expect.poll(fragileSeen).toEqual([userId(1), userId(2), userId(3), userId(4)]);
    expect(runner().failureOf("fragile")).toBeUndefined();
    expect(sturdySeen()).toHaveLength(4); // nothing applied twice
  });

  it("skip passes over the one event, records it, and goes on after it", async () => {
    const { store, db, start, fragileSeen, runner } = await setUp(new Set([userId(2)]));
    start();
    await runner().caughtUp;
    for (const n of [1, 2, 3]) await store.appendToStream(`user-${userId(n)}`, [registered(n)]);
    await expect.poll(() => runner().failureOf("fragile")?.revision).toBe(0n);
    const skip = skipFailedEvent(db, "fragile", new Date("2026-11-25T12:00:00Z"));
    expect(skip).toMatchObject({ name: "fragile", streamId: `user-${userId(2)}` });
    await expect.poll(fragileSeen).toEqual([userId(1), userId(3)]);
    expect(db.prepare("SELECT name, stream_id FROM projection_skips").all()).toEqual([{ name: "fragile", stream_id: `user-${userId(2)}` }]);
    // The log is untouched.
    expect(await store.readStream(`user-${userId(2)}`)).toHaveLength(1);
  });
});

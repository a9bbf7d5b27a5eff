// A serving process's read models at a cold start (no checkpoint: a new slot, or emptied by a
// readModelVersion change) are built with the bulk engine, then followed by the runner: the same
// rows as the runner alone builds. A warm file is only caught up. Real files, a real embedded store.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventsPerGiveaway, writeHistory } from "../../bench/seed/giveawayHistory.ts";
import type { EventStore } from "../../src/eventstore/port.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { startProjectionRunner } from "../../src/projections/projectionRunner.ts";
import { openReadModelDatabase, readModelVersion } from "../../src/projections/readModelDatabase.ts";
import { openServingReadModels, type ServingReadModels } from "../../src/projections/swappableReadModels.ts";
import { compareEveryTable } from "../support/readModelCompare.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { declaredReadModels, type ReadModelQueries } from "../../src/app/declaredParts.ts";

let dir: ReturnType<typeof makeTempDir>;
let store: EventStore;

function serving(file: string): ServingReadModels<ReadModelQueries> {
  return openServingReadModels({ store, dataDir: dir.path, file, projections: declaredReadModels, onApplied() {}, onFailure() {}, onSwapped() {} });
}

async function followedByRunnerAlone(file: string): Promise<void> {
  const db = openReadModelDatabase(file, declaredReadModels);
  const runner = startProjectionRunner({ projections: declaredReadModels, store, db });
  await runner.caughtUp;
  await runner.stop();
  db.close();
}

beforeAll(async () => {
  dir = makeTempDir("cold-start-bulk");
  store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  const shape = { entrantsPerGiveaway: 3, messagesPerGiveaway: 20, readEvery: 5 };
  await writeHistory(store, { users: 20, giveaways: Math.ceil(3000 / eventsPerGiveaway(shape)), ...shape });
}, 60_000);

afterAll(async () => {
  await store?.close();
  dir?.remove();
});

describe("a cold start", () => {
  it("builds in bulk, and ends with the rows the runner alone builds", async () => {
    const cold = serving(join(dir.path, "readmodels.db"));
    expect(await cold.start()).toBe("bulk");
    await cold.runner.caughtUp;
    expect(cold.queries.listGiveaways(1000).length).toBeGreaterThan(10);
    await cold.close();

    await followedByRunnerAlone(join(dir.path, "runner.db"));
    const bulk = new Database(join(dir.path, "readmodels.db"), { readonly: true });
    const alone = new Database(join(dir.path, "runner.db"), { readonly: true });
    try {
      const compared = compareEveryTable(alone, bulk);
      expect(compared.counts.messages).toBeGreaterThan(1000);
      expect(compared.schema.rebuilt).toEqual(compared.schema.live);
      expect(compared.differences).toEqual([]);
    } finally {
      bulk.close();
      alone.close();
    }
  });

  it("a warm file is only caught up; one emptied by a readModelVersion change is built in bulk again", async () => {
    const file = join(dir.path, "readmodels.db");
    const warm = serving(file);
    expect(await warm.start()).toBe("runner");
    await warm.runner.caughtUp;
    await warm.close();

    const db = new Database(file);
    db.pragma(`user_version = ${readModelVersion - 1}`);
    db.close();
    const emptied = serving(file);
    expect(await emptied.start()).toBe("bulk");
    await emptied.runner.caughtUp;
    expect(emptied.queries.listGiveaways(1000).length).toBeGreaterThan(10);
    await emptied.close();
  });
});

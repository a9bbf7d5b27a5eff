// npm run rebuild killed partway (SIGKILL, a real process): the read models it was replacing are
// still there and whole, and the next rebuild succeeds from zero.
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventsPerGiveaway, writeHistory } from "../../bench/seed/giveawayHistory.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { dumpReadModels, repoRoot, runCliCommand } from "./auditFixtures.ts";

let dir: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  dir = makeTempDir("rebuild-crash");
  // Enough that a rebuild takes a while to write (about a second here), little enough to seed fast.
  const shape = { entrantsPerGiveaway: 3, messagesPerGiveaway: 90, readEvery: 10 };
  const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  await writeHistory(store, { users: 60, giveaways: Math.ceil(60_000 / eventsPerGiveaway(shape)), ...shape });
  await store.close();
}, 120_000);

afterAll(() => dir?.remove());

describe("npm run rebuild, killed partway", () => {
  it("leaves the old read models serving and whole; the next rebuild succeeds", async () => {
    const first = await runCliCommand("rebuild", [], { DATA_DIR: dir.path });
    expect(first.code, first.stderr).toBe(0);
    const before = dumpReadModels(dir.path);
    expect(before.messages!.length).toBeGreaterThan(40_000);

    const fresh = join(dir.path, "readmodels.rebuild.db");
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/rebuild.ts"], {
      cwd: repoRoot,
      env: { ...process.env, EVENT_STORE: "sqlite", STORE_DURABILITY: "normal", DATA_DIR: dir.path },
      stdio: "ignore",
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    // Killed once the new file has grown past its empty tables: in the middle of writing rows.
    const deadline = Date.now() + 60_000;
    while (!(existsSync(fresh) && statSync(fresh).size > 1_000_000)) {
      if (Date.now() > deadline) throw new Error("the rebuild never started writing");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    // The half-built file never replaced the served one.
    expect(existsSync(fresh)).toBe(true);
    expect(dumpReadModels(dir.path)).toEqual(before);
    const db = new Database(join(dir.path, "readmodels.db"), { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();

    const again = await runCliCommand("rebuild", [], { DATA_DIR: dir.path });
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(fresh)).toBe(false);
    expect(dumpReadModels(dir.path)).toEqual(before);
  }, 180_000);
});

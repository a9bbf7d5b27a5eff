// "Rebuilt equals live", for every table of every read model: a runner follows the store while the
// events are appended commit by commit (as a server's does), then the read models are rebuilt from
// zero over the same store (rebuildReadModels, what `npm run rebuild` runs), and the two files are
// compared row by row. Over (a) every stored fixture a released version wrote (test/fixtures/store-*),
// and (b) a generated 100,000-event log (test/support/generatedStore.ts).
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rebuildReadModels, type RebuildResult } from "../../src/audit/readModelRebuild.ts";
import { giveawayStreamPrefix, userStreamPrefix } from "../../src/domain/streams.ts";
import type { EventStore, RecordedEvent } from "../../src/eventstore/port.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { startProjectionRunner, type ProjectionRunner } from "../../src/projections/projectionRunner.ts";
import { openReadModelDatabase } from "../../src/projections/readModelDatabase.ts";
import { writeGeneratedStore } from "../support/generatedStore.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { drawnWithAliceWinning, giveawayId, giver, alice, message1, message2, messageSent } from "../domain/fixtures.ts";
import { byUser, inGiveaway, projectionKit } from "./projectionKit.ts";
import { registered } from "./readModelEvents.ts";
import { compareEveryTable, type Compared } from "../support/readModelCompare.ts";
import { declaredReadModels } from "../../src/app/declaredParts.ts";

interface Run {
  compared: Compared;
  rebuild: RebuildResult;
  /** Events of the giveaway and user streams appended. */
  projectedEvents: number;
  seconds: { writeAndFollow: number; rebuild: number; compare: number };
}

/**
 * An empty store in `dir` and a runner following it (into dir/live/readmodels.db) while `write`
 * appends; once the runner has applied up to the last event `write` reports, the read models are
 * rebuilt from zero into dir/rebuilt, and both files are compared.
 */
async function liveThenRebuilt(dir: string, write: (store: EventStore) => Promise<{ projectedEvents: number; lastProjectedPosition: bigint }>): Promise<Run> {
  mkdirSync(join(dir, "live"));
  mkdirSync(join(dir, "rebuilt"));
  const store = openSqliteEventStore({ file: join(dir, "events.db"), durability: "normal" });
  const liveDb = openReadModelDatabase(join(dir, "live", "readmodels.db"), declaredReadModels);
  let runner: ProjectionRunner | undefined;
  try {
    const started = performance.now();
    runner = startProjectionRunner({ projections: declaredReadModels, store, db: liveDb });
    await runner.caughtUp; // an empty log: from here on it follows live
    const { projectedEvents, lastProjectedPosition } = await write(store);
    const deadline = Date.now() + 240_000;
    while (runner.status().some((state) => state.failure === undefined && (state.position ?? -1n) < lastProjectedPosition)) {
      if (runner.fatalError() || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(runner.fatalError()).toBeUndefined();
    expect(runner.status().filter((state) => state.failure !== undefined)).toEqual([]);
    expect(runner.status().map((state) => state.position)).toEqual(runner.status().map(() => lastProjectedPosition));
    await runner.stop();
    runner = undefined;
    const followed = performance.now();

    const rebuild = await rebuildReadModels({ projections: declaredReadModels, store, dataDir: join(dir, "rebuilt") });
    const rebuilt = performance.now();
    const rebuiltDb = new Database(rebuild.file, { readonly: true });
    try {
      const compared = compareEveryTable(liveDb, rebuiltDb);
      const seconds = { writeAndFollow: (followed - started) / 1000, rebuild: (rebuilt - followed) / 1000, compare: (performance.now() - rebuilt) / 1000 };
      return { compared, rebuild, projectedEvents, seconds };
    } finally {
      rebuiltDb.close();
    }
  } finally {
    await runner?.stop();
    liveDb.close();
    await store.close();
  }
}

/** What every comparison must show: the same tables and indexes, and no row that differs. */
function expectEqual(run: Run) {
  expect(run.rebuild.stopped).toEqual([]);
  expect(run.rebuild.events).toBe(run.projectedEvents);
  expect(run.compared.schema.rebuilt).toEqual(run.compared.schema.live);
  expect(run.compared.differences).toEqual([]);
}

describe("the comparison", () => {
  // Cheap proof that it can fail: two read model files from the same events, then one spoiled.
  it("finds nothing between equal files, and names the table and rows of a changed cell or a missing row", () => {
    const story = [byUser(registered(giver, "gina"), registered(alice, "alice")), inGiveaway(giveawayId, ...drawnWithAliceWinning(), messageSent(message1, giver, "hi"), messageSent(message2, alice, "hello"))];
    const one = projectionKit().given(story);
    const other = projectionKit().given(story);
    expect(compareEveryTable(one.db, other.db).differences).toEqual([]);
    other.db.prepare("UPDATE inbox SET unread_count = unread_count + 1 WHERE user_id = ?").run(giver);
    other.db.prepare("DELETE FROM messages WHERE id = ?").run(message2);
    const { differences } = compareEveryTable(one.db, other.db);
    expect(differences.map((difference) => [difference.table, difference.index])).toEqual([
      ["inbox", 0],
      ["messages", 1],
    ]);
    expect(differences[1]!.rebuilt).toBe("(no row)");
  });
});

const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));
const fixtures = readdirSync(fixturesDir).filter((name) => name.startsWith("store-"));

describe.each(fixtures)("the store written by %s, followed live then rebuilt", (fixture) => {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  let run: Run;
  let logged: RecordedEvent[];

  beforeAll(async () => {
    const temp = (dir = makeTempDir(`rebuild-every-table-${fixture}`));
    // A copy: tests never open tracked files (opening a store may bring its schema up to date).
    copyFileSync(join(fixturesDir, fixture, "events.db"), join(temp.path, "fixture.db"));
    const source = openSqliteEventStore({ file: join(temp.path, "fixture.db"), durability: "normal" });
    try {
      logged = await source.readAll();
    } finally {
      await source.close();
    }
    // Its events appended again, in log order, a few per commit: the live runner sees them arrive
    // as the server that wrote them did (positions and commit times are the new store's).
    mkdirSync(join(temp.path, "replay"));
    run = await liveThenRebuilt(join(temp.path, "replay"), async (store) => {
      let projectedEvents = 0;
      let lastProjectedPosition = 0n;
      for (let from = 0; from < logged.length; from += 5) {
        const results = await Promise.all(
          runsOf(logged.slice(from, from + 5)).map((run) =>
            store.appendToStream(
              run[0]!.streamId,
              run.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })),
              { expectedRevision: run[0]!.revision === 0n ? "no_stream" : run[0]!.revision - 1n },
            ),
          ),
        );
        for (const [index, run] of runsOf(logged.slice(from, from + 5)).entries()) {
          if (!isProjected(run[0]!.streamId)) continue;
          projectedEvents += run.length;
          if (results[index]!.position > lastProjectedPosition) lastProjectedPosition = results[index]!.position;
        }
      }
      return { projectedEvents, lastProjectedPosition };
    });
  }, 120_000);

  afterAll(() => dir?.remove());

  it("projects something in every read model the fixture has facts for (so the comparison means something)", () => {
    expect(logged.length).toBeGreaterThan(10);
    expect(run.compared.counts.users).toBeGreaterThan(0);
    expect(run.compared.counts.giveaways).toBeGreaterThan(0);
    expect(run.compared.counts.messages).toBeGreaterThan(0);
    expect(run.compared.counts.inbox).toBeGreaterThan(0);
    expect(run.compared.counts.timeline).toBeGreaterThan(0);
  });

  it("rebuilt from zero, every table equals the live one, row by row", () => {
    expectEqual(run);
  });

  it("rebuilt from zero, every table holds its rows in the live one's insertion (rowid) order", () => {
    expect(run.compared.orderDifferences).toEqual([]);
  });
});

function isProjected(streamId: string): boolean {
  return streamId.startsWith(giveawayStreamPrefix) || streamId.startsWith(userStreamPrefix);
}

/** Consecutive events of the same stream: one append each. */
function runsOf(events: RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const event of events) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1]!.streamId === event.streamId) last.push(event);
    else runs.push([event]);
  }
  return runs;
}

describe("a generated log of 100,000 events, followed live then rebuilt", () => {
  const events = 100_000;
  let dir: ReturnType<typeof makeTempDir> | undefined;
  let run: Run;
  let byType: Record<string, number>;
  let commits = 0;

  beforeAll(async () => {
    const temp = (dir = makeTempDir("rebuild-every-table-generated"));
    run = await liveThenRebuilt(temp.path, async (store) => {
      const summary = await writeGeneratedStore(store, { events, seed: 24, maxCommit: 2000 });
      byType = summary.byType;
      commits = summary.commits;
      expect(summary.events).toBe(events);
      return summary;
    });
    const { writeAndFollow, rebuild, compare } = run.seconds;
    console.info(
      `generated ${events} events in ${commits} commits, followed live: ${writeAndFollow.toFixed(1)} s; rebuilt from zero: ${rebuild.toFixed(1)} s` +
        ` (rebuildReadModels says ${run.rebuild.seconds.toFixed(1)} s); compared every table: ${compare.toFixed(1)} s`,
    );
  }, 300_000);

  afterAll(() => dir?.remove());

  it("the log holds every kind of fact, and every read model has rows (so the comparison means something)", () => {
    for (const type of ["GiveawayCreated", "DrawConducted", "MessageSent", "ConversationRead", "ReactionAdded", "MessageEdited", "MessageRetracted", "PickupProposalAccepted", "WinnerRedrawn", "GiveawayCancelled", "HandoverRated", "UserBlocked", "UserSuspended", "SessionEnded", "AllSessionsEnded"]) {
      expect(byType[type], type).toBeGreaterThan(0);
    }
    for (const table of ["users", "giveaways", "entrants", "pickup_rounds", "pickup_proposals", "pickups", "messages", "reactions", "attachments", "timeline", "inbox", "ended_sessions", "sessions_ended_before", "blocks", "reports", "moderator_standing", "suspensions", "ratings"]) {
      expect(run.compared.counts[table], table).toBeGreaterThan(0);
    }
    expect(commits).toBeGreaterThan(50);
  });

  it("rebuilt from zero, every table equals the live one, row by row", () => {
    expectEqual(run);
  });

  it("rebuilt from zero, every table holds its rows in the live one's insertion (rowid) order", () => {
    expect(run.compared.orderDifferences).toEqual([]);
  });
});

// Waiting for the read models to show a write: resolves when the revision is applied, false after the timeout.
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProjectedEvent } from "../../src/projections/projection.ts";
import { openReadModelDatabase } from "../../src/projections/readModelDatabase.ts";
import { createReadYourWrites, type ReadYourWrites } from "../../src/projections/readYourWrites.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { declaredReadModels } from "../../src/app/declaredParts.ts";

const giveawayId = "9b2f1a57-3a1e-4b8e-8f5e-2d1c0b9a8e7f";
let dir: ReturnType<typeof makeTempDir>;
let db: ReturnType<typeof openReadModelDatabase>;
let waits: ReadYourWrites;

beforeEach(() => {
  dir = makeTempDir("ryw");
  db = openReadModelDatabase(join(dir.path, "readmodels.db"), declaredReadModels);
  waits = createReadYourWrites(db, 10_000);
});
afterEach(() => {
  waits.close();
  db.close();
  dir.remove();
});

/** What the giveaways projection does for an event at `revision`, and the runner's notice after it commits. */
function applyGiveawayRevision(revision: number) {
  db.prepare(
    `INSERT INTO giveaways (id, title, description, giver_id, status, entrant_count, created_at, last_revision)
     VALUES (?, 't', '', 'g', 'open', 0, '2026-01-01T00:00:00Z', ?) ON CONFLICT (id) DO UPDATE SET last_revision = excluded.last_revision`,
  ).run(giveawayId, revision);
  waits.applied([{ stream: "giveaway", giveawayId } as ProjectedEvent]);
}

describe("read your writes", () => {
  it("resolves at once for a revision already applied", async () => {
    applyGiveawayRevision(3);
    expect(waits.appliedRevision(giveawayId)).toBe(3);
    await expect(waits.waitForGiveaway(giveawayId, 2n)).resolves.toBe(true);
    await expect(waits.waitForGiveaway(giveawayId, 3)).resolves.toBe(true);
  });

  it("resolves when the runner applies the revision, not before", async () => {
    applyGiveawayRevision(0);
    let settled: boolean | undefined;
    const waiting = waits.waitForGiveaway(giveawayId, 2).then((applied) => (settled = applied));
    applyGiveawayRevision(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBeUndefined();
    applyGiveawayRevision(2);
    await waiting;
    expect(settled).toBe(true);
  });

  it("gives up with false after its timeout, and on close", async () => {
    expect(waits.appliedRevision(giveawayId)).toBe(-1);
    await expect(waits.waitForGiveaway(giveawayId, 0, 20)).resolves.toBe(false);
    const pending = waits.waitForGiveaway(giveawayId, 5);
    waits.close();
    await expect(pending).resolves.toBe(false);
  });
});

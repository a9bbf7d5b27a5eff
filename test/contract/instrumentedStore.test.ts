// Appends show up in the shared metrics: events by category and outcome, and the append latency.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { instrumentEventStore, streamCategory } from "../../src/eventstore/instrumentedStore.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { metrics } from "../../src/observability/metrics.ts";
import { makeTempDir } from "../support/tempDir.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function counted(category: string, outcome: string): Promise<number> {
  const metric = await metrics.eventsAppended.get();
  return metric.values.find((v) => v.labels.category === category && v.labels.outcome === outcome)?.value ?? 0;
}

async function appendCount(): Promise<number> {
  const metric = await metrics.appendSeconds.get();
  return metric.values.find((v) => v.metricName === "handoff_append_seconds_count")?.value ?? 0;
}

describe("the instrumented event store", () => {
  it("counts written and deduplicated events by stream category, and times every append", async () => {
    const dir = makeTempDir("metrics");
    const store = instrumentEventStore(openSqliteEventStore({ file: join(dir.path, "events.db") }));
    cleanups.push(async () => (await store.close(), dir.remove()));
    const category = `metrics${randomUUID().slice(0, 8)}`;
    const stream = `${category}-1`;
    const batch = [1, 2].map((n) => ({ id: randomUUID(), type: "Happened", data: { n } }));
    const appendsBefore = await appendCount();
    expect((await store.appendToStream(stream, batch, { expectedRevision: "no_stream" })).outcome).toBe("written");
    expect((await store.appendToStream(stream, batch, { expectedRevision: "no_stream" })).outcome).toBe("deduplicated");
    await expect(store.appendToStream(stream, [{ id: randomUUID(), type: "X", data: {} }], { expectedRevision: 7n })).rejects.toMatchObject({
      code: "wrong_expected_revision",
    });
    expect([await counted(category, "written"), await counted(category, "deduplicated")]).toEqual([2, 2]);
    expect((await appendCount()) - appendsBefore).toBe(3);
    expect((await store.readStream(stream)).length).toBe(2);
  });

  it("names a stream's category by what comes before its first dash", () => {
    expect([streamCategory("giveaway-123"), streamCategory("user-a-b"), streamCategory("loose")]).toEqual(["giveaway", "user", "loose"]);
  });
});

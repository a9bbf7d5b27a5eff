// The results sections for capacity: durable throughput, memory, rebuild and cold start.
import type { MemoryRow } from "../memory.ts";
import type { RebuildData } from "../rebuild.ts";
import type { ThroughputBest, ThroughputStep } from "../throughput.ts";
import { count, ms, ratio, runLine, spreadText, table, type TargetRow } from "../lib/markdown.ts";
import type { FigureResult } from "../lib/results.ts";
import { spread, type Spread } from "../lib/stats.ts";
import { systemLabels, systemNames, type SystemName } from "../systems/systems.ts";

export type ThroughputResult = FigureResult<{ p99LimitMs: number; conversations: number; rounds?: number; steps: ThroughputStep[]; best: ThroughputBest[] }>;

/** Per system over the rounds: each round's best rate under the p99 bound, and the p99 at it. */
export function throughputSpreads(result: ThroughputResult | undefined): Map<SystemName, { perSecond: Spread; p99: Spread; concurrency: number[] }> {
  const spreads = new Map<SystemName, { perSecond: Spread; p99: Spread; concurrency: number[] }>();
  for (const system of systemNames) {
    const rows = result?.data.best.filter((row) => row.system === system) ?? [];
    if (rows.length > 0) spreads.set(system, { perSecond: spread(rows.map((row) => row.perSecond)), p99: spread(rows.map((row) => row.p99)), concurrency: rows.map((row) => row.concurrency) });
  }
  return spreads;
}

export function throughputSection(result: ThroughputResult | undefined, targets: TargetRow[]): string {
  const spreads = throughputSpreads(result);
  const handoff = spreads.get("handoff");
  const limit = spreads.get("limit");
  const durable = spreads.get("durable");
  targets.push({
    figure: "Durable throughput",
    target: "≥ 0.5× the durable limit's rate, p99 < 50 ms",
    measured: handoff ? `${spreadText(handoff.perSecond, count)} msgs/s at p99 ${ms(handoff.p99.median)} ms` : "–",
    vsNoStore: ratio(handoff?.perSecond.median, limit?.perSecond.median),
    vsDurable: ratio(handoff?.perSecond.median, durable?.perSecond.median),
    verdict: handoff && durable ? (handoff.perSecond.median >= 0.5 * durable.perSecond.median ? "met" : "missed") : "not measured",
  });
  if (!result) return "## Durable throughput\n\nNot measured yet: `npm run bench:throughput`.\n";
  const { steps, p99LimitMs, conversations } = result.data;
  const bestTable = table(
    ["system", `best accepted/s per round (p99 < ${p99LimitMs} ms)`, "p99 at that rate", "senders at the best", "handoff/system"],
    systemNames.flatMap((system) => {
      const row = spreads.get(system);
      if (!row) return [];
      return [[systemLabels[system], spreadText(row.perSecond, count), spreadText(row.p99), row.concurrency.map((c) => (c > 0 ? String(c) : "–")).join(", "), system === "handoff" ? "" : ratio(handoff?.perSecond.median, row.perSecond.median)]];
    }),
  );
  const stepTable = table(
    ["round", "system", "senders", "accepted/s", "p50", "p99", "max", "server CPU", "failed"],
    steps.map((step) => [String(step.round ?? 0), systemLabels[step.system], String(step.concurrency), count(step.perSecond), ms(step.p50), ms(step.p99), ms(step.max), `${Math.round(step.serverCpuShare * 100)}%`, String(step.failed)]),
  );
  return [
    "## Durable throughput",
    "",
    runLine(result),
    "",
    `Closed-loop senders in a separate process (keep-alive HTTP agent; one socket per sender for Socket.IO), the number of senders doubled step by step until the p99 answer time passed ${p99LimitMs} ms; a round's figure is its best rate among the steps with p99 under ${p99LimitMs} ms and no failure, shown as the median of the rounds [min – max]; the ratios divide medians. handoff: each sender posts to its own conversation (${conversations} conversations), as the giver, with a Bearer token; every accepted message is appended durably (see durability above), projected and published. The durable limit parses the JSON, appends it to its SQLite table in a group commit (one transaction, one fsync, per event-loop turn) and answers after the commit; the no-store limit parses the JSON and answers 201, storing nothing; Socket.IO answers an emit with an acknowledgement.`,
    "",
    bestTable,
    "",
    "<details><summary>Every step of every round</summary>",
    "",
    stepTable,
    "",
    "</details>",
    "",
  ].join("\n");
}

export type MemoryResult = FigureResult<{ rows: MemoryRow[] }>;

export function memorySpreads(result: MemoryResult | undefined): Map<SystemName, { rss: Spread; heap: Spread; rows: MemoryRow[] }> {
  const spreads = new Map<SystemName, { rss: Spread; heap: Spread; rows: MemoryRow[] }>();
  for (const system of systemNames) {
    const rows = result?.data.rows.filter((row) => row.system === system) ?? [];
    if (rows.length > 0) spreads.set(system, { rss: spread(rows.map((row) => row.rssPerConnectionKiB)), heap: spread(rows.map((row) => row.heapPerConnectionKiB)), rows });
  }
  return spreads;
}

export function memorySection(result: MemoryResult | undefined, targets: TargetRow[]): string {
  const spreads = memorySpreads(result);
  const handoff = spreads.get("handoff");
  targets.push({
    figure: "Memory",
    target: "RSS per idle stream ≤ 10 KiB",
    measured: handoff ? `${spreadText(handoff.rss)} KiB` : "–",
    vsNoStore: ratio(handoff?.rss.median, spreads.get("limit")?.rss.median),
    vsDurable: ratio(handoff?.rss.median, spreads.get("durable")?.rss.median),
    verdict: handoff ? (handoff.rss.median <= 10 ? "met" : "missed") : "not measured",
  });
  if (!result) return "## Memory\n\nNot measured yet: `npm run bench:memory`.\n";
  return [
    "## Memory",
    "",
    runLine(result),
    "",
    "Server RSS after a full GC, before and after the idle connections open (from driver processes of 2,500 connections each), divided by the connections; median of the rounds [min – max], each round on a fresh server. Heap is V8 heap + external. Socket.IO: idle WebSocket clients.",
    "",
    table(
      ["system", "rounds", "connections (server's count)", "RSS before → after, first round (MiB)", "RSS per connection", "heap per connection", "handoff/system"],
      systemNames.flatMap((system) => {
        const cell = spreads.get(system);
        if (!cell) return [];
        const first = cell.rows[0]!;
        return [
          [
            systemLabels[system],
            String(cell.rows.length),
            `${count(first.connections)} (${cell.rows.map((row) => count(row.serverConnections)).join(", ")})`,
            `${ms(first.rssBeforeMiB)} → ${ms(first.rssAfterMiB)}`,
            `${spreadText(cell.rss)} KiB`,
            `${spreadText(cell.heap)} KiB`,
            system === "handoff" ? "" : ratio(handoff?.rss.median, cell.rss.median),
          ],
        ];
      }),
    ),
    "",
  ].join("\n");
}

export function rebuildSection(result: FigureResult<RebuildData> | undefined, targets: TargetRow[]): string {
  if (!result) {
    targets.push({ figure: "Rebuild", target: "≥ 200,000 events/s", measured: "–", verdict: "not measured" });
    targets.push({ figure: "Cold start", target: "ready in < 2 s over 1,000,000 events", measured: "–", verdict: "not measured" });
    return "## Rebuild and cold start\n\nNot measured yet: `npm run bench:rebuild`.\n";
  }
  const d = result.data;
  const perSecond = d.eventsPerSecondSpread ?? spread([d.eventsPerSecond]);
  const coldStart = spread(d.coldStartRuns);
  const overMillion = d.logEvents >= 1_000_000;
  targets.push({
    figure: "Rebuild",
    target: "≥ 200,000 events/s over 1,000,000 events",
    measured: `${spreadText(perSecond, count)} events/s over ${count(d.projectedEvents)} events`,
    verdict: !overMillion ? "not measured" : perSecond.median >= 200_000 ? "met" : "missed",
  });
  targets.push({
    figure: "Cold start",
    target: "ready in < 1 s over 1,000,000 events",
    measured: `${spreadText(coldStart)} ms with read models in place (${count(d.coldStartFromZeroMs)} ms rebuilding them from zero) over ${count(d.logEvents)} events`,
    verdict: !overMillion ? "not measured" : coldStart.median < 1000 ? "met" : "missed",
  });
  return [
    "## Rebuild and cold start",
    "",
    runLine(result),
    "",
    "handoff only: the limits and Socket.IO keep no events and no read models, so there is nothing to rebuild or reload. Each round rebuilds from zero in a fresh process over the same log.",
    `The log: ${count(d.plan.users)} users and ${count(d.plan.giveaways)} giveaways, each created, entered ${d.plan.entrantsPerGiveaway} times, drawn, then ${d.plan.messagesPerGiveaway} messages with a read mark every ${d.plan.readEvery}, interleaved across giveaways (${ms(d.storeMiB)} MiB store, written in ${ms(d.seedSeconds)} s).`,
    "",
    table(
      ["measure", "value"],
      [
        ["events in the log / followed by the projections", `${count(d.logEvents)} / ${count(d.projectedEvents)}`],
        [
          `rebuild from zero (openHandoff until caught up), ${perSecond.values.length} round${perSecond.values.length > 1 ? "s, median [min – max]" : ""}`,
          `**${spreadText(perSecond, count)} events/s** (${(d.rebuildRuns ?? [d.rebuildMs]).map(count).join(", ")} ms)`,
        ],
        ["read models after it", `${count(d.readModels.users)} users, ${count(d.readModels.giveaways)} giveaways, ${count(d.readModels.messages)} messages`],
        ["cold start to ready, read models in place (process start → /healthz ok), median", `**${ms(d.coldStartMs)} ms** (runs: ${d.coldStartRuns.map(ms).join(", ")})`],
        ["… of which inside startServer (the rest is node booting and loading the compiled modules)", `${ms(d.startServerMs)} ms`],
        ["cold start to ready with no read models (first start: rebuild included)", `${count(d.coldStartFromZeroMs)} ms`],
      ],
    ),
    "",
  ].join("\n");
}

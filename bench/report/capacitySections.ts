// The results sections for capacity: durable throughput, memory, rebuild and cold start.
import type { MemoryRow } from "../memory.ts";
import type { RebuildData } from "../rebuild.ts";
import type { ThroughputBest, ThroughputStep } from "../throughput.ts";
import { count, find, ms, ratio, runLine, table, type TargetRow } from "../lib/markdown.ts";
import type { FigureResult } from "../lib/results.ts";
import { systemLabels } from "../systems/systems.ts";

export function throughputSection(result: FigureResult<{ p99LimitMs: number; conversations: number; steps: ThroughputStep[]; best: ThroughputBest[] }> | undefined, targets: TargetRow[]): string {
  if (!result) {
    targets.push({ figure: "Durable throughput", target: "≥ 0.5× limit's rate, p99 < 50 ms", measured: "–", verdict: "not measured" });
    return "## Durable throughput\n\nNot measured yet: `npm run bench:throughput`.\n";
  }
  const { best, steps, p99LimitMs, conversations } = result.data;
  const limit = find(best, "limit");
  const handoff = find(best, "handoff");
  const bestTable = table(
    ["system", "accepted/s (p99 < 50 ms)", "p99 at that rate", "concurrency", "handoff/system"],
    best.map((row) =>
      row.concurrency === 0
        ? [systemLabels[row.system], "none: p99 over 50 ms from the first step", "–", "–", ""]
        : [systemLabels[row.system], count(row.perSecond), `${ms(row.p99)} ms`, String(row.concurrency), row.system === "handoff" ? "" : ratio(handoff?.perSecond, row.perSecond)],
    ),
  );
  const stepTable = table(
    ["system", "concurrency", "accepted/s", "p50", "p99", "max", "server CPU", "failed"],
    steps.map((step) => [systemLabels[step.system], String(step.concurrency), count(step.perSecond), ms(step.p50), ms(step.p99), ms(step.max), `${Math.round(step.serverCpuShare * 100)}%`, String(step.failed)]),
  );
  targets.push({
    figure: "Durable throughput",
    target: "≥ 0.5× limit's rate, p99 < 50 ms",
    measured: handoff && limit ? `${count(handoff.perSecond)}/s at p99 ${ms(handoff.p99)} ms = ${ratio(handoff.perSecond, limit.perSecond)} limit (${count(limit.perSecond)}/s)` : "–",
    verdict: handoff && limit ? (handoff.perSecond >= 0.5 * limit.perSecond && handoff.p99 < p99LimitMs ? "met" : "missed") : "not measured",
  });
  return [
    "## Durable throughput",
    "",
    runLine(result),
    "",
    `Closed-loop senders in a separate process (keep-alive HTTP agent; one socket per sender for Socket.IO), the number of senders doubled step by step until the p99 answer time passed ${p99LimitMs} ms. handoff: each sender posts to its own conversation (${conversations} conversations), as the giver, with a Bearer token; every accepted message is appended durably (see durability above), projected and published. The limit parses the JSON and answers 201, storing nothing; Socket.IO answers an emit with an acknowledgement.`,
    "",
    bestTable,
    "",
    "<details><summary>Every step</summary>",
    "",
    stepTable,
    "",
    "</details>",
    "",
  ].join("\n");
}

export function memorySection(result: FigureResult<{ rows: MemoryRow[] }> | undefined, targets: TargetRow[]): string {
  if (!result) {
    targets.push({ figure: "Memory", target: "RSS per idle SSE connection ≤ 1.5× limit's (aim 10 KB)", measured: "–", verdict: "not measured" });
    return "## Memory\n\nNot measured yet: `npm run bench:memory`.\n";
  }
  const rows = result.data.rows;
  const limit = find(rows, "limit");
  const handoff = find(rows, "handoff");
  targets.push({
    figure: "Memory",
    target: "RSS per idle SSE connection ≤ 1.5× limit's (aim 10 KB)",
    measured: handoff && limit ? `${ms(handoff.rssPerConnectionKiB)} KiB = ${ratio(handoff.rssPerConnectionKiB, limit.rssPerConnectionKiB)} limit (${ms(limit.rssPerConnectionKiB)} KiB)` : "–",
    verdict: handoff && limit ? (handoff.rssPerConnectionKiB <= 1.5 * limit.rssPerConnectionKiB ? "met" : "missed") : "not measured",
  });
  return [
    "## Memory",
    "",
    runLine(result),
    "",
    "Server RSS after a full GC, before and after the idle connections open (from driver processes of 2,500 connections each), divided by the connections. Heap is V8 heap + external. Socket.IO: idle WebSocket clients.",
    "",
    table(
      ["system", "connections (server's count)", "RSS before → after (MiB)", "RSS per connection", "heap per connection", "handoff/system"],
      rows.map((row) => [
        systemLabels[row.system],
        `${count(row.connections)} (${count(row.serverConnections)})`,
        `${ms(row.rssBeforeMiB)} → ${ms(row.rssAfterMiB)}`,
        `${ms(row.rssPerConnectionKiB)} KiB`,
        `${ms(row.heapPerConnectionKiB)} KiB`,
        row.system === "handoff" ? "" : ratio(handoff?.rssPerConnectionKiB, row.rssPerConnectionKiB),
      ]),
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
  targets.push({
    figure: "Rebuild",
    target: "≥ 200,000 events/s",
    measured: `${count(d.eventsPerSecond)} events/s over ${count(d.projectedEvents)} events`,
    verdict: d.eventsPerSecond >= 200_000 ? "met" : "missed",
  });
  targets.push({
    figure: "Cold start",
    target: "ready in < 2 s over 1,000,000 events",
    measured: `${ms(d.coldStartMs)} ms with read models in place (${ms(d.coldStartFromZeroMs)} ms rebuilding them from zero) over ${count(d.logEvents)} events`,
    verdict: d.logEvents < 1_000_000 ? "not measured" : d.coldStartMs < 2000 ? "met" : "missed",
  });
  return [
    "## Rebuild and cold start",
    "",
    runLine(result),
    "",
    "handoff only: the limit and Socket.IO keep no events and no read models, so there is nothing to rebuild or reload.",
    `The log: ${count(d.plan.users)} users and ${count(d.plan.giveaways)} giveaways, each created, entered ${d.plan.entrantsPerGiveaway} times, drawn, then ${d.plan.messagesPerGiveaway} messages with a read mark every ${d.plan.readEvery}, interleaved across giveaways (${ms(d.storeMiB)} MiB store, written in ${ms(d.seedSeconds)} s).`,
    "",
    table(
      ["measure", "value"],
      [
        ["events in the log / followed by the projections", `${count(d.logEvents)} / ${count(d.projectedEvents)}`],
        ["rebuild from zero (openHandoff until caught up)", `${count(d.rebuildMs)} ms = **${count(d.eventsPerSecond)} events/s**`],
        ["read models after it", `${count(d.readModels.users)} users, ${count(d.readModels.giveaways)} giveaways, ${count(d.readModels.messages)} messages`],
        ["cold start to ready, read models in place (process start → /healthz ok), median", `**${ms(d.coldStartMs)} ms** (runs: ${d.coldStartRuns.map(ms).join(", ")})`],
        ["… of which inside startServer (the rest is node + tsx booting)", `${ms(d.startServerMs)} ms`],
        ["cold start to ready with no read models (first start: rebuild included)", `${count(d.coldStartFromZeroMs)} ms`],
      ],
    ),
    "",
  ].join("\n");
}

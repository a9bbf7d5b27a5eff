// The fan-out results: latency from send to every subscriber, per round and pooled, the POST answer
// time while fanning out, the chart, and the targets judged on them.
import { writeFileSync } from "node:fs";
import type { FanoutRow } from "../fanout.ts";
import { againstBoth, count, find, ms, ratio, runLine, spreadText, table, type TargetRow } from "../lib/markdown.ts";
import { resultsDir, type FigureResult } from "../lib/results.ts";
import { spread, type Spread } from "../lib/stats.ts";
import { lineChartSvg } from "../lib/svgChart.ts";
import { systemLabels, systemNames, type SystemName } from "../systems/systems.ts";

export const chartFile = new URL("fanout-latency.svg", resultsDir);

const colors: Record<SystemName, string> = { limit: "#2b6cb0", durable: "#6b46c1", socketio: "#c05621", handoff: "#2f855a" };

/** p99 and POST answer p99 over the rounds of one rate, N and system (from the per-round rows). */
export interface FanoutCell {
  row: FanoutRow;
  p99: Spread;
  answerP99: Spread;
}

export type FanoutResult = FigureResult<{ rows: FanoutRow[]; rounds?: FanoutRow[] }>;

export function fanoutCells(result: FanoutResult | undefined): FanoutCell[] {
  if (!result) return [];
  const rounds = result.data.rounds ?? [];
  return result.data.rows.map((row) => {
    const level = row.level ?? "busy";
    const mine = rounds.filter((r) => (r.level ?? "busy") === level && r.system === row.system && r.subscribers === row.subscribers);
    const source = mine.length > 0 ? mine : [row];
    return { row: { ...row, level }, p99: spread(source.map((r) => r.p99)), answerP99: spread(source.map((r) => r.answerP99)) };
  });
}

export function fanoutCell(cells: FanoutCell[], system: SystemName, subscribers: number, level = "busy"): FanoutCell | undefined {
  return cells.find((cell) => cell.row.system === system && cell.row.subscribers === subscribers && cell.row.level === level);
}

function writeChart(cells: FanoutCell[]): void {
  const busy = cells.filter((cell) => cell.row.level === "busy");
  writeFileSync(
    chartFile,
    lineChartSvg({
      title: "Fan-out: send to receipt at every subscriber (busy rate, median of the rounds' p99)",
      xLabel: "subscribers in one conversation",
      yLabel: "latency (ms, log scale)",
      series: systemNames.flatMap((system) => {
        const mine = busy.filter((cell) => cell.row.system === system);
        if (mine.length === 0) return [];
        return [
          { label: `${systemLabels[system]} p99`, color: colors[system], points: mine.map((cell) => ({ x: cell.row.subscribers, y: cell.p99.median })) },
          { label: `${systemLabels[system]} p50`, color: colors[system], dashed: true, points: mine.map((cell) => ({ x: cell.row.subscribers, y: cell.row.p50 })) },
        ];
      }),
    }),
  );
}

function pushTargets(cells: FanoutCell[], targets: TargetRow[]): void {
  const ns = [100, 1000, 5000];
  const judge = (pick: (cell: FanoutCell) => number, bound: number, n: number) => {
    const handoff = fanoutCell(cells, "handoff", n);
    const limit = fanoutCell(cells, "limit", n);
    const durable = fanoutCell(cells, "durable", n);
    const ok = (base: FanoutCell | undefined) => (handoff && base ? pick(handoff) <= bound * pick(base) && handoff.row.received === handoff.row.expected : undefined);
    return { handoff, limit, durable, okNoStore: ok(limit), okDurable: ok(durable) };
  };
  for (const n of ns) {
    const j = judge((cell) => cell.p99.median, 1.2, n);
    targets.push({
      figure: `Fan-out p99, N = ${count(n)}`,
      target: "≤ 1.2× the limit's",
      measured: j.handoff ? `${spreadText(j.handoff.p99)} ms (limits: ${ms(j.limit?.p99.median)}, ${ms(j.durable?.p99.median)} ms)` : "–",
      vsNoStore: ratio(j.handoff?.p99.median, j.limit?.p99.median),
      vsDurable: ratio(j.handoff?.p99.median, j.durable?.p99.median),
      ...(j.handoff ? againstBoth(j.okNoStore, j.okDurable) : { verdict: "not measured" as const }),
    });
  }
  for (const n of [1000, 5000]) {
    const j = judge((cell) => cell.answerP99.median, 2, n);
    targets.push({
      figure: `POST answer p99 while fanning out to ${count(n)}`,
      target: "≤ 2× the limit's",
      measured: j.handoff ? `${spreadText(j.handoff.answerP99)} ms (limits: ${ms(j.limit?.answerP99.median)}, ${ms(j.durable?.answerP99.median)} ms)` : "–",
      vsNoStore: ratio(j.handoff?.answerP99.median, j.limit?.answerP99.median),
      vsDurable: ratio(j.handoff?.answerP99.median, j.durable?.answerP99.median),
      ...(j.handoff ? againstBoth(j.okNoStore, j.okDurable) : { verdict: "not measured" as const }),
    });
  }
}

export function fanoutSection(result: FanoutResult | undefined, targets: TargetRow[]): string {
  const cells = fanoutCells(result);
  pushTargets(cells, targets);
  if (!result) return "## Fan-out\n\nNot measured yet: `npm run bench:fanout`.\n";
  writeChart(cells);
  const levels = [...new Set(cells.map((cell) => cell.row.level))];
  const subscriberCounts = [...new Set(cells.map((cell) => cell.row.subscribers))].sort((a, b) => a - b);
  const latency: string[][] = [];
  const answers: string[][] = [];
  for (const level of levels) {
    for (const n of subscriberCounts) {
      const at = (system: SystemName) => fanoutCell(cells, system, n, level);
      for (const system of systemNames) {
        const cell = at(system);
        if (!cell) continue;
        const { row } = cell;
        const handoff = system === "handoff";
        latency.push([
          level,
          count(n),
          systemLabels[system],
          `${ms(row.intervalMs)} ms`,
          String(cell.p99.values.length),
          ms(row.p50),
          spreadText(cell.p99),
          ms(row.max),
          `${count(row.received)} / ${count(row.expected)}`,
          ms(row.serverCpuMsPerMessage),
          ms(row.clientCpuMsPerMessage),
          handoff ? ratio(cell.p99.median, at("limit")?.p99.median) : "",
          handoff ? ratio(cell.p99.median, at("durable")?.p99.median) : "",
          handoff ? ratio(cell.p99.median, at("socketio")?.p99.median) : "",
        ]);
        if (level === "busy")
          answers.push([
            count(n),
            systemLabels[system],
            ms(row.answerP50),
            spreadText(cell.answerP99),
            handoff ? ratio(cell.answerP99.median, at("limit")?.answerP99.median) : "",
            handoff ? ratio(cell.answerP99.median, at("durable")?.answerP99.median) : "",
          ]);
      }
    }
  }
  return [
    "## Fan-out",
    "",
    runLine(result),
    "",
    "One conversation, N subscribers held by driver processes (2,500 connections each), a message sent on a fixed schedule by a separate sender process; latency from just before the send to the moment each subscriber's process reads the frame, in ms. **p99 per round** is the median of the rounds' p99s with [min – max]; the ratios divide those medians; p50 and max are pooled over every receipt of every round. Two rates: **busy** (the targets' rate: 5 ms at N = 100, N/40 ms above) and **relaxed** (four times slower, N/10 ms, at least 20 ms; one round, no target), which shows each system's latency when it is not queueing. CPU columns are ms of CPU per message: the server's, and all subscriber processes' together (they share the same 2 cores); a server whose CPU per message nears the interval is saturated and its latency is a queue.",
    "",
    table(
      ["rate", "N", "system", "interval", "rounds", "p50", "p99 per round", "max", "receipts", "server CPU/msg", "clients CPU/msg", "handoff/no-store", "handoff/durable", "handoff/Socket.IO"],
      latency,
    ),
    "",
    "![Fan-out latency against subscribers](bench/results/fanout-latency.svg)",
    "",
    "### The sender's answer while fanning out",
    "",
    "The same busy runs, timed at the sender: from just before the POST (Socket.IO: the emit) to its answer (the acknowledgement). The no-store limit writes the frame to every stream, then answers; the durable limit commits, answers, then writes the frames.",
    "",
    table(["N", "system", "answer p50", "answer p99 per round", "handoff/no-store", "handoff/durable"], answers),
    "",
  ].join("\n");
}

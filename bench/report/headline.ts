// README's headline table, generated from the same results as BENCHMARKS.md (one run), so the
// two can never disagree. Medians over the rounds; handoff's ratios to both limits.
import type { CatchupRow } from "../catchup.ts";
import type { RebuildData } from "../rebuild.ts";
import { count, find, ms, ratio, spreadText, table } from "../lib/markdown.ts";
import type { FigureResult } from "../lib/results.ts";
import { spread, type Spread } from "../lib/stats.ts";
import { systemNames, type SystemName } from "../systems/systems.ts";
import { memorySpreads, throughputSpreads, type MemoryResult, type ThroughputResult } from "./capacitySections.ts";
import { fanoutCell, fanoutCells, type FanoutResult } from "./fanoutSection.ts";

export interface HeadlineInputs {
  fanout?: FanoutResult;
  throughput?: ThroughputResult;
  memory?: MemoryResult;
  catchup?: FigureResult<{ rows: CatchupRow[] }>;
  rebuild?: FigureResult<RebuildData>;
}

const columns: Record<SystemName, string> = { limit: "no-store limit", durable: "durable limit", socketio: "Socket.IO", handoff: "handoff" };

/** One row: a value per system, handoff's with its ratio to each limit (lower is better unless `higherIsBetter`). */
function row(figure: string, values: Partial<Record<SystemName, number>>, format: (value: number) => string, unit: string): string[] {
  const cell = (system: SystemName) => {
    const value = values[system];
    if (value === undefined || !Number.isFinite(value)) return "–";
    if (system !== "handoff") return `${format(value)}${unit}`;
    const ratios = [ratio(value, values.limit), ratio(value, values.durable)];
    return ratios.every((r) => r === "–") ? `${format(value)}${unit}` : `${format(value)}${unit} (${ratios[0]} no-store, ${ratios[1]} durable)`;
  };
  return [figure, ...systemNames.map(cell)];
}

export function headlineTable(inputs: HeadlineInputs): string {
  const rows: string[][] = [];
  const cells = fanoutCells(inputs.fanout);
  const fanoutValues = (n: number, pick: (s: { p99: Spread; answerP99: Spread }) => Spread) =>
    Object.fromEntries(systemNames.map((system) => [system, (() => { const c = fanoutCell(cells, system, n); return c ? pick(c).median : undefined; })()]));
  for (const n of [100, 1000, 5000]) {
    if (cells.some((c) => c.row.subscribers === n)) rows.push(row(`fan-out p99, ${count(n)} subscribers`, fanoutValues(n, (c) => c.p99), ms, " ms"));
  }
  for (const n of [1000, 5000]) {
    if (cells.some((c) => c.row.subscribers === n)) rows.push(row(`POST answer p99 while fanning out to ${count(n)}`, fanoutValues(n, (c) => c.answerP99), ms, " ms"));
  }
  const throughput = throughputSpreads(inputs.throughput);
  if (throughput.size > 0) rows.push(row("accepted messages/s with p99 < 50 ms", Object.fromEntries([...throughput].map(([k, v]) => [k, v.perSecond.median])), count, ""));
  const memory = memorySpreads(inputs.memory);
  if (memory.size > 0) rows.push(row("RSS per idle stream", Object.fromEntries([...memory].map(([k, v]) => [k, v.rss.median])), ms, " KiB"));
  const catchup = inputs.catchup?.data.rows;
  if (catchup) rows.push(row("catch-up, 10,000 messages behind (median)", Object.fromEntries(systemNames.map((s) => [s, find(catchup, s, (r) => r.behind === 10_000)?.medianMs])), ms, " ms"));
  const rebuild = inputs.rebuild?.data;
  if (rebuild) {
    const perSecond = rebuild.eventsPerSecondSpread ?? spread([rebuild.eventsPerSecond]);
    rows.push(["rebuild (events/s)", "–", "–", "–", `${spreadText(perSecond, count)} over ${count(rebuild.projectedEvents)} events`]);
    rows.push(["cold start to ready, read models in place", "–", "–", "–", `${spreadText(spread(rebuild.coldStartRuns))} ms over ${count(rebuild.logEvents)} events`]);
  }
  if (rows.length === 0) return "No results yet: run `npm run bench`.";
  const runs = [inputs.fanout, inputs.throughput, inputs.memory, inputs.catchup, inputs.rebuild].filter((r): r is FigureResult<never> => r !== undefined);
  const loads = runs.flatMap((r) => r.load ?? [r.machine.loadAverage]);
  const dates = runs.map((r) => r.machine.date).sort();
  return [
    `_${[...new Set(runs.map((r) => r.scale))].join(", ")} scale, ${dates[0]?.slice(0, 10)}; medians over the rounds (BENCHMARKS.md has min – max and every step); 1-minute load average ${Math.min(...loads)}–${Math.max(...loads)} during the figures._`,
    "",
    table(["figure", ...systemNames.map((s) => columns[s])], rows),
  ].join("\n");
}

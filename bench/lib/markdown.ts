// Formatting for the results section: numbers as a benchmark can claim them, tables, verdicts.
import type { FigureResult } from "./results.ts";
import type { Spread } from "./stats.ts";
import type { SystemName } from "../systems/systems.ts";

export type Verdict = "met" | "missed" | "not measured";

export interface TargetRow {
  figure: string;
  target: string;
  measured: string;
  /** handoff's figure divided by each limit's (same figure, same run), where the target is relative. */
  vsNoStore?: string;
  vsDurable?: string;
  verdict: Verdict;
  /** Said after the verdict: which limit a relative target was met or missed against. */
  note?: string;
}

/**
 * A target relative to "the limit": judged against both, the no-store limit and the durable limit,
 * and met only when met against both; the note says which one it missed.
 */
export function againstBoth(noStore: boolean | undefined, durable: boolean | undefined): { verdict: Verdict; note?: string } {
  if (noStore === undefined && durable === undefined) return { verdict: "not measured" };
  if (noStore === undefined || durable === undefined) {
    const only = noStore ?? durable;
    return { verdict: only ? "met" : "missed", note: `(only the ${noStore === undefined ? "durable" : "no-store"} limit measured)` };
  }
  if (noStore && durable) return { verdict: "met" };
  if (!noStore && !durable) return { verdict: "missed" };
  return { verdict: "missed", note: durable ? "(met against the durable limit)" : "(met against the no-store limit)" };
}

export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "–";
  return `${(a / b).toFixed(2)}×`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

export function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

export function find<T extends { system: SystemName }>(rows: T[], system: SystemName, where: (row: T) => boolean = () => true): T | undefined {
  return rows.find((row) => row.system === system && where(row));
}

export function runLine(result: FigureResult<unknown>): string {
  const load = result.load && result.load.length > 1 ? `load average ${Math.min(...result.load)}–${Math.max(...result.load)} (1-minute, sampled at every round)` : `load average ${result.machine.loadAverage}`;
  return `_${result.scale} scale, ${result.seconds.toFixed(0)} s, finished ${result.machine.date}, ${load}._`;
}

/** A figure over rounds: the median, then the range (min – max) when there was more than one round. */
export function spreadText(s: Spread | undefined, format: (value: number) => string = ms): string {
  if (!s || !Number.isFinite(s.median)) return "–";
  return s.values.length > 1 ? `${format(s.median)} [${format(s.min)} – ${format(s.max)}]` : format(s.median);
}

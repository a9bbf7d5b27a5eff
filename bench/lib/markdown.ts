// Formatting for the results section: numbers as a benchmark can claim them, tables, verdicts.
import type { FigureResult } from "./results.ts";
import type { SystemName } from "../systems/systems.ts";

export type Verdict = "met" | "missed" | "not measured";

export interface TargetRow {
  figure: string;
  target: string;
  measured: string;
  verdict: Verdict;
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
  return `_${result.scale} scale, ${result.seconds.toFixed(0)} s, finished ${result.machine.date}, load average ${result.machine.loadAverage}._`;
}

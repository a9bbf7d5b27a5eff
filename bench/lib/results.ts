// Each figure saves its numbers as JSON in bench/results/; the report reads them all back.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { machineInfo, type MachineInfo } from "./machine.ts";
import type { ScaleName } from "./scale.ts";

export const resultsDir = new URL("../results/", import.meta.url);

export interface FigureResult<T> {
  figure: string;
  scale: ScaleName;
  machine: MachineInfo;
  /** Run time of the whole figure, seconds. */
  seconds: number;
  /** 1-minute load average sampled at the start of every round (and at the end). */
  load?: number[];
  data: T;
}

export function saveFigure<T>(figure: string, scale: ScaleName, seconds: number, data: T, load?: number[]): FigureResult<T> {
  mkdirSync(resultsDir, { recursive: true });
  const machine = machineInfo();
  const result: FigureResult<T> = { figure, scale, machine, seconds, ...(load ? { load: [...load, machine.loadAverage] } : {}), data };
  writeFileSync(new URL(`${figure}.json`, resultsDir), JSON.stringify(result, null, 2) + "\n");
  return result;
}

export function loadFigure<T>(figure: string): FigureResult<T> | undefined {
  const file = new URL(`${figure}.json`, resultsDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as FigureResult<T>) : undefined;
}

/** Rounds for tables: 3 significant digits is all a benchmark on a shared VM can claim. */
export function round3(value: number): number {
  if (!Number.isFinite(value)) return value;
  return Number(value.toPrecision(3));
}

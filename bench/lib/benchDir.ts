// Scratch directories for data the benchmarks make (stores, read models); removed when done.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function makeBenchDir(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(process.env.BENCH_TMPDIR ?? tmpdir(), `handoff-bench-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

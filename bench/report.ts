// Writes BENCHMARKS.md's results section and the fan-out chart from bench/results/*.json.
// Everything outside the generated markers in BENCHMARKS.md (findings, notes) is kept as written.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CatchupRow } from "./catchup.ts";
import type { FanoutRow } from "./fanout.ts";
import type { MemoryRow } from "./memory.ts";
import type { RebuildData } from "./rebuild.ts";
import type { ThroughputBest, ThroughputStep } from "./throughput.ts";
import { table, type TargetRow } from "./lib/markdown.ts";
import { loadFigure } from "./lib/results.ts";
import { memorySection, rebuildSection, throughputSection } from "./report/capacitySections.ts";
import { catchupSection, chartFile, fanoutSection } from "./report/latencySections.ts";

const benchmarksFile = new URL("../BENCHMARKS.md", import.meta.url);
const startMarker = "<!-- results:start (written by bench/report.ts; edit outside the markers) -->";
const endMarker = "<!-- results:end -->";

export function writeReport(): void {
  const targets: TargetRow[] = [];
  const fanout = loadFigure<{ rows: FanoutRow[] }>("fanout");
  const throughput = loadFigure<{ p99LimitMs: number; conversations: number; steps: ThroughputStep[]; best: ThroughputBest[] }>("throughput");
  const memory = loadFigure<{ rows: MemoryRow[] }>("memory");
  const catchup = loadFigure<{ rows: CatchupRow[] }>("catchup");
  const rebuild = loadFigure<RebuildData>("rebuild");
  const sections = [
    fanoutSection(fanout, targets),
    throughputSection(throughput, targets),
    memorySection(memory, targets),
    catchupSection(catchup, targets),
    rebuildSection(rebuild, targets),
  ];
  const any = fanout ?? throughput ?? memory ?? catchup ?? rebuild;
  const machine = any?.machine;
  const scales = [...new Set([fanout, throughput, memory, catchup, rebuild].filter(Boolean).map((r) => r!.scale))];
  const generated = [
    startMarker,
    "",
    "## Run",
    "",
    machine
      ? table(
          ["", ""],
          [
            ["CPU", `${machine.cpuModel}, ${machine.cores} cores`],
            ["memory", `${machine.memoryGiB} GiB`],
            ["Node", `${machine.node} (${machine.platform})`],
            ["`ulimit -n`", `${machine.openFilesLimit} (each connection is a descriptor at both ends; the most one process holds here is 10,000 + a few)`],
            ["store durability", `STORE_DURABILITY=${machine.storeDurability}${machine.storeDurability === "full" ? " (fsync on every group commit)" : " (no fsync per commit: survives a process crash, not a power cut)"}`],
            ["scale", scales.join(", ")],
          ],
        )
      : "No results yet: run `npm run bench`.",
    "",
    "## Against the targets",
    "",
    table(["figure", "target", "handoff measured", "verdict"], targets.map((t) => [t.figure, t.target, t.measured, t.verdict === "met" ? "**met**" : t.verdict === "missed" ? "**missed**" : "not measured"])),
    "",
    ...sections,
    endMarker,
  ].join("\n");

  const current = existsSync(benchmarksFile) ? readFileSync(benchmarksFile, "utf8") : "";
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + generated + current.slice(end + endMarker.length)
      : `# Benchmarks\n\n${generated}\n`;
  writeFileSync(benchmarksFile, next);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeReport();
  console.log(`wrote ${fileURLToPath(benchmarksFile)} and ${fileURLToPath(chartFile)}`);
}

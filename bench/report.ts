// Writes BENCHMARKS.md's results section, README's headline table and the fan-out chart from
// bench/results/*.json. Everything outside the generated markers (findings, notes) is kept as written.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CatchupRow } from "./catchup.ts";
import type { RebuildData } from "./rebuild.ts";
import { table, type TargetRow } from "./lib/markdown.ts";
import { loadFigure } from "./lib/results.ts";
import { memorySection, rebuildSection, throughputSection, type MemoryResult, type ThroughputResult } from "./report/capacitySections.ts";
import { catchupSection } from "./report/catchupSection.ts";
import { chartFile, fanoutSection, type FanoutResult } from "./report/fanoutSection.ts";
import { headlineTable } from "./report/headline.ts";
import { sendCostSection } from "./report/sendCostSection.ts";
import type { SendCostData } from "./sendCost.ts";

const benchmarksFile = new URL("../BENCHMARKS.md", import.meta.url);
const readmeFile = new URL("../README.md", import.meta.url);
const startMarker = "<!-- results:start (written by bench/report.ts; edit outside the markers) -->";
const endMarker = "<!-- results:end -->";
const headlineStart = "<!-- bench-headline:start (written by bench/report.ts from bench/results; edit outside the markers) -->";
const headlineEnd = "<!-- bench-headline:end -->";

/** Replaces what lies between the markers; a file without them is left alone (false). */
function replaceBetween(file: URL, start: string, end: string, generated: string): boolean {
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from < 0 || to < from) return false;
  writeFileSync(file, current.slice(0, from) + `${start}\n${generated}\n${end}` + current.slice(to + end.length));
  return true;
}


export function writeReport(): void {
  const targets: TargetRow[] = [];
  const fanout = loadFigure("fanout") as FanoutResult | undefined;
  const throughput = loadFigure("throughput") as ThroughputResult | undefined;
  const memory = loadFigure("memory") as MemoryResult | undefined;
  const catchup = loadFigure<{ rows: CatchupRow[] }>("catchup");
  const rebuild = loadFigure<RebuildData>("rebuild");
  const sendCost = loadFigure<SendCostData>("sendcost");
  const sections = [
    fanoutSection(fanout, targets),
    throughputSection(throughput, targets),
    memorySection(memory, targets),
    catchupSection(catchup, targets),
    rebuildSection(rebuild, targets),
    sendCostSection(sendCost, targets),
  ];
  const any = fanout ?? throughput ?? memory ?? catchup ?? rebuild ?? sendCost;
  const machine = any?.machine;
  const scales = [...new Set([fanout, throughput, memory, catchup, rebuild, sendCost].filter(Boolean).map((r) => r!.scale))];
  const generated = [
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
    "handoff's figure is the median over the rounds [min – max]; each ratio divides it by the same figure of the no-store limit and of the durable limit, measured in the same run. A target relative to \"the limit\" is met only when met against both.",
    "",
    table(
      ["figure", "target", "handoff measured", "handoff/no-store limit", "handoff/durable limit", "verdict"],
      targets.map((t) => [
        t.figure,
        t.target,
        t.measured,
        t.vsNoStore ?? "",
        t.vsDurable ?? "",
        `${t.verdict === "met" ? "**met**" : t.verdict === "missed" ? "**missed**" : "not measured"}${t.note ? ` ${t.note}` : ""}`,
      ]),
    ),
    "",
    ...sections,
  ].join("\n");

  if (!replaceBetween(benchmarksFile, startMarker, endMarker, generated)) writeFileSync(benchmarksFile, `# Benchmarks\n\n${startMarker}\n${generated}\n${endMarker}\n`);
  replaceBetween(readmeFile, headlineStart, headlineEnd, `\n${headlineTable({ fanout, throughput, memory, catchup, rebuild })}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeReport();
  console.log(`wrote ${fileURLToPath(benchmarksFile)}, the headline table in ${fileURLToPath(readmeFile)} and ${fileURLToPath(chartFile)}`);
}

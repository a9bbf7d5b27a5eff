// `npm run bench`: every figure in turn, then BENCHMARKS.md and the chart. BENCH_SCALE=quick for a
// smoke run of a couple of minutes. A watchdog ends the run if anything hangs past its budget.
import { runCatchup } from "./catchup.ts";
import { runFanout } from "./fanout.ts";
import { runMemory } from "./memory.ts";
import { runRebuild } from "./rebuild.ts";
import { runScaleOut } from "./scaleout.ts";
import { runSendCost } from "./sendCost.ts";
import { writeReport } from "./report.ts";
import { currentScale } from "./lib/scale.ts";
import { machineInfo } from "./lib/machine.ts";
import { runThroughput } from "./throughput.ts";

const scale = currentScale();
const budgetMinutes = scale.name === "quick" ? 25 : 90; // quick: four systems, two rounds, on a busy machine
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${budgetMinutes} minutes; giving up`);
  process.exit(1);
}, budgetMinutes * 60_000);

const figures = { fanout: runFanout, throughput: runThroughput, memory: runMemory, catchup: runCatchup, rebuild: runRebuild, scaleout: runScaleOut, sendcost: runSendCost };
const only = process.env.BENCH_FIGURES?.split(",").map((name) => name.trim());
const machine = machineInfo();
console.log(`bench (${scale.name}): ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, ulimit -n ${machine.openFilesLimit}, STORE_DURABILITY=${machine.storeDurability}, load ${machine.loadAverage}`);
for (const [name, run] of Object.entries(figures)) {
  if (only && !only.includes(name)) continue;
  const started = Date.now();
  console.log(`\n== ${name} ==`);
  await run(scale);
  console.log(`== ${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s ==`);
}
writeReport();
console.log("\nwrote BENCHMARKS.md and bench/results/fanout-latency.svg");
clearTimeout(watchdog);
process.exit(0);

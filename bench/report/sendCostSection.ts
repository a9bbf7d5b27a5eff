// BENCHMARKS.md: a send at message 10 against a send at message 100,000, and where each core's time went.
import type { SendCostData } from "../sendCost.ts";
import { count, ms, runLine, spreadText, table, type TargetRow } from "../lib/markdown.ts";
import type { FigureResult } from "../lib/results.ts";
import { spread } from "../lib/stats.ts";

const percent = (share: number) => `${Math.round(share * 100)}%`;

export function sendCostSection(result: FigureResult<SendCostData> | undefined, targets: TargetRow[]): string {
  const fresh = result?.data.summary.find((row) => row.kind === "fresh");
  const long = result?.data.summary.find((row) => row.kind === "long");
  const longRows = result?.data.rows.filter((row) => row.kind === "long") ?? [];
  const longest = longRows.length > 0 ? Math.min(...longRows.map((row) => row.messagesBefore)) : 0;
  const rateRatio = fresh && long ? long.perSecond.median / fresh.perSecond.median : NaN;
  const p99Ratio = fresh && long ? long.p99.median / fresh.p99.median : NaN;
  targets.push({
    figure: "Send cost at 100,000 messages",
    target: "msgs/s and p99 within 10% of a fresh conversation",
    measured: fresh && long ? `${count(long.perSecond.median)} vs ${count(fresh.perSecond.median)} msgs/s (${rateRatio.toFixed(2)}×), p99 ${ms(long.p99.median)} vs ${ms(fresh.p99.median)} ms (${p99Ratio.toFixed(2)}×)` : "–",
    verdict: !fresh || !long || longest < 100_000 ? "not measured" : Math.abs(rateRatio - 1) <= 0.1 && p99Ratio <= 1.1 ? "met" : "missed",
  });
  const rows = result?.data.rows ?? [];
  const coreCells = (row: (typeof rows)[number]) => row.cores.map((core, index) => `core ${index}: ${percent(core.user)} user, ${percent(core.system)} system, ${percent(core.idle)} idle`).join("; ");
  targets.push({
    figure: "Both cores",
    target: "a run shows where each core's time goes",
    measured: rows.length > 0 ? `server ${spreadText(spread(rows.map((row) => row.serverCores)), (v) => v.toFixed(2))} cores, load driver ${spreadText(spread(rows.map((row) => row.driverCores)), (v) => v.toFixed(2))} (per-core table below)` : "–",
    verdict: rows.length > 0 ? "met" : "not measured",
    note: "(shown; the server's request work is one core; its store commits and SQLite checkpoints run in worker threads, on the other; see the scale-out figure for two processes)",
  });
  if (!result) return "## Send cost and the cores\n\nNot measured yet: `node --import tsx bench/sendCost.ts`.\n";
  const { senders, seconds } = result.data;
  return [
    "## Send cost at message 10 and at message 100,000; where each core's time goes",
    "",
    runLine(result),
    "",
    `handoff only. One server over a store the seed wrote directly, holding two conversations: one already holding ${count(longest)} messages, and one holding ${count(rows.find((row) => row.kind === "fresh")?.messagesBefore ?? 0)} at the first round (in one store, so that they differ only in their length: a store's size slows every conversation in it alike). The server starts with nothing cached, so the long conversation's first round includes loading it. Each round runs ${senders} closed-loop senders for ${seconds} s (after 0.5 s of warm-up) against each conversation in turn, all on the one conversation, as the giver. The conversations grow by what each round sends. Per round: the server's and the load driver's CPU (in cores) and each core's split from the kernel's counters over the window (the server, the driver and anything else on the machine).`,
    "",
    table(
      ["conversation", "msgs/s, median [min – max]", "p99 ms, median [min – max]"],
      [fresh, long].flatMap((row) => (row ? [[row.kind === "fresh" ? "fresh" : `long (${count(longest)}+)`, spreadText(row.perSecond, count), spreadText(row.p99)]] : [])),
    ),
    "",
    table(
      ["round", "conversation", "messages before", "msgs/s", "p50", "p99", "server cores", "driver cores", "each core"],
      rows.map((row) => [String(row.round), row.kind, count(row.messagesBefore), count(row.perSecond), ms(row.p50), ms(row.p99), row.serverCores.toFixed(2), row.driverCores.toFixed(2), coreCells(row)]),
    ),
    "",
  ].join("\n");
}

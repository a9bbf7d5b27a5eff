// The results sections for latency: fan-out (with its chart) and catch-up.
import { writeFileSync } from "node:fs";
import type { CatchupRow } from "../catchup.ts";
import type { FanoutRow } from "../fanout.ts";
import { count, find, ms, ratio, runLine, table, type TargetRow, type Verdict } from "../lib/markdown.ts";
import { resultsDir, type FigureResult } from "../lib/results.ts";
import { lineChartSvg } from "../lib/svgChart.ts";
import { systemLabels, type SystemName } from "../systems/systems.ts";

export const chartFile = new URL("fanout-latency.svg", resultsDir);

const colors: Record<SystemName, string> = { limit: "#2b6cb0", socketio: "#c05621", handoff: "#2f855a" };

export function fanoutSection(result: FigureResult<{ rows: FanoutRow[] }> | undefined, targets: TargetRow[]): string {
  if (!result) {
    targets.push({ figure: "Fan-out", target: "p99 ≤ 1.5× limit at N = 1,000 and 5,000, and below Socket.IO", measured: "–", verdict: "not measured" });
    return "## Fan-out\n\nNot measured yet: `npm run bench:fanout`.\n";
  }
  const allRows = result.data.rows.map((row) => ({ ...row, level: row.level ?? "busy" }));
  const levels = [...new Set(allRows.map((row) => row.level))];
  const subscriberCounts = [...new Set(allRows.map((row) => row.subscribers))].sort((a, b) => a - b);
  const body: string[][] = [];
  for (const level of levels) {
    for (const n of subscriberCounts) {
      const at = (system: SystemName) => find(allRows, system, (r) => r.subscribers === n && r.level === level);
      for (const system of ["limit", "socketio", "handoff"] as const) {
        const row = at(system);
        if (!row) continue;
        body.push([
          level,
          count(n),
          systemLabels[system],
          `${ms(row.intervalMs)} ms`,
          ms(row.p50),
          ms(row.p99),
          ms(row.max),
          `${count(row.received)} / ${count(row.expected)}`,
          ms(row.serverCpuMsPerMessage),
          ms(row.clientCpuMsPerMessage),
          system === "handoff" ? ratio(row.p99, at("limit")?.p99) : "",
          system === "handoff" ? ratio(row.p99, at("socketio")?.p99) : "",
        ]);
      }
    }
  }
  const rows = allRows.filter((row) => row.level === "busy");
  writeFileSync(
    chartFile,
    lineChartSvg({
      title: "Fan-out: send to receipt at every subscriber (busy rate)",
      xLabel: "subscribers in one conversation",
      yLabel: "latency (ms, log scale)",
      series: (["limit", "socketio", "handoff"] as const).flatMap((system) => [
        { label: `${systemLabels[system]} p99`, color: colors[system], points: rows.filter((r) => r.system === system).map((r) => ({ x: r.subscribers, y: r.p99 })) },
        { label: `${systemLabels[system]} p50`, color: colors[system], dashed: true, points: rows.filter((r) => r.system === system).map((r) => ({ x: r.subscribers, y: r.p50 })) },
      ]),
    }),
  );
  const checks = [1000, 5000].map((n) => {
    const handoff = find(rows, "handoff", (r) => r.subscribers === n);
    const limit = find(rows, "limit", (r) => r.subscribers === n);
    const socketio = find(rows, "socketio", (r) => r.subscribers === n);
    if (!handoff || !limit || !socketio) return { n, verdict: "not measured" as Verdict, text: `N = ${count(n)}: –` };
    const ok = handoff.p99 <= 1.5 * limit.p99 && handoff.p99 < socketio.p99 && handoff.received === handoff.expected;
    return {
      n,
      verdict: (ok ? "met" : "missed") as Verdict,
      text: `N = ${count(n)}: p99 ${ms(handoff.p99)} ms = ${ratio(handoff.p99, limit.p99)} limit, ${ratio(handoff.p99, socketio.p99)} Socket.IO`,
    };
  });
  targets.push({
    figure: "Fan-out",
    target: "p99 ≤ 1.5× limit at N = 1,000 and 5,000, and below Socket.IO",
    measured: checks.map((c) => c.text).join("; "),
    verdict: checks.some((c) => c.verdict === "not measured") ? "not measured" : checks.every((c) => c.verdict === "met") ? "met" : "missed",
  });
  return [
    "## Fan-out",
    "",
    runLine(result),
    "",
    "One conversation, N subscribers held by driver processes (2,500 connections each), a message sent on a fixed schedule by a separate sender process; latency from just before the send to the moment each subscriber's process reads the frame, in ms, pooled over every receipt of every round. Two rates: **busy** (the targets' rate: 5 ms at N = 100, N/40 ms above) and **relaxed** (four times slower, N/10 ms, at least 20 ms), which shows each system's latency when it is not queueing. CPU columns are ms of CPU per message: the server's, and all subscriber processes' together (they share the same 2 cores); a server whose CPU per message nears the interval is saturated and its latency is a queue.",
    "",
    table(["rate", "N", "system", "interval", "p50", "p99", "max", "receipts", "server CPU/msg", "clients CPU/msg", "p99 handoff/limit", "p99 handoff/Socket.IO"], body),
    "",
    "![Fan-out latency against subscribers](bench/results/fanout-latency.svg)",
    "",
  ].join("\n");
}

export function catchupSection(result: FigureResult<{ rows: CatchupRow[] }> | undefined, targets: TargetRow[]): string {
  if (!result) {
    targets.push({ figure: "Catch-up", target: "10,000 missed messages in < 1 s", measured: "–", verdict: "not measured" });
    return "## Catch-up\n\nNot measured yet: `npm run bench:catchup`.\n";
  }
  const rows = result.data.rows;
  const levels = [...new Set(rows.map((row) => row.behind))].sort((a, b) => a - b);
  const body: string[][] = [];
  for (const behind of levels) {
    const limit = find(rows, "limit", (r) => r.behind === behind);
    const socketio = find(rows, "socketio", (r) => r.behind === behind);
    for (const system of ["limit", "socketio", "handoff"] as const) {
      const row = find(rows, system, (r) => r.behind === behind);
      if (!row) continue;
      body.push([
        count(behind),
        systemLabels[system],
        ms(row.medianMs),
        `${ms(row.minMs)} – ${ms(row.maxMs)}`,
        String(row.reconnects),
        system === "handoff" ? ratio(row.medianMs, limit?.medianMs) : "",
        system === "handoff" ? ratio(row.medianMs, socketio?.medianMs) : "",
      ]);
    }
  }
  const tenThousand = find(rows, "handoff", (r) => r.behind === 10_000);
  targets.push({
    figure: "Catch-up",
    target: "10,000 missed messages in < 1 s",
    measured: tenThousand ? `${ms(tenThousand.medianMs)} ms (median)` : "–",
    verdict: tenThousand ? (tenThousand.maxMs < 1000 && tenThousand.medianMs < 1000 ? "met" : "missed") : "not measured",
  });
  return [
    "## Catch-up",
    "",
    runLine(result),
    "",
    "A client reconnects that many messages behind (handoff and the limit: `Last-Event-ID`; Socket.IO: the last id in the handshake, answered with one emit per buffered message), timed from connecting until the newest missed message is in; a separate client process, fresh connection each time, the first round (warm-up) not counted. handoff's history was written into its store before it started (the same events the app writes), and it is read from the conversation read model.",
    "",
    table(["behind", "system", "median ms", "range ms", "reconnects", "handoff/limit", "handoff/Socket.IO"], body),
    "",
  ].join("\n");
}

// The catch-up results: a client reconnecting so many messages behind, until it has them all.
import type { CatchupRow } from "../catchup.ts";
import { count, find, ms, ratio, runLine, table, type TargetRow } from "../lib/markdown.ts";
import type { FigureResult } from "../lib/results.ts";
import { systemLabels, systemNames } from "../systems/systems.ts";

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
    const durable = find(rows, "durable", (r) => r.behind === behind);
    const socketio = find(rows, "socketio", (r) => r.behind === behind);
    for (const system of systemNames) {
      const row = find(rows, system, (r) => r.behind === behind);
      if (!row) continue;
      body.push([
        count(behind),
        systemLabels[system],
        ms(row.medianMs),
        `${ms(row.minMs)} – ${ms(row.maxMs)}`,
        String(row.reconnects),
        system === "handoff" ? ratio(row.medianMs, limit?.medianMs) : "",
        system === "handoff" ? ratio(row.medianMs, durable?.medianMs) : "",
        system === "handoff" ? ratio(row.medianMs, socketio?.medianMs) : "",
      ]);
    }
  }
  const tenThousand = find(rows, "handoff", (r) => r.behind === 10_000);
  const at = (system: "limit" | "durable") => find(rows, system, (r) => r.behind === 10_000)?.medianMs;
  targets.push({
    figure: "Catch-up",
    target: "10,000 missed messages in < 1 s",
    measured: tenThousand ? `${ms(tenThousand.medianMs)} ms [${ms(tenThousand.minMs)} – ${ms(tenThousand.maxMs)}] (median [min – max] of ${tenThousand.repetitions})` : "–",
    vsNoStore: ratio(tenThousand?.medianMs, at("limit")),
    vsDurable: ratio(tenThousand?.medianMs, at("durable")),
    verdict: tenThousand ? (tenThousand.maxMs < 1000 && tenThousand.medianMs < 1000 ? "met" : "missed") : "not measured",
  });
  return [
    "## Catch-up",
    "",
    runLine(result),
    "",
    "A client reconnects that many messages behind (handoff and both limits: `Last-Event-ID`, the no-store limit replaying frames from memory, the durable limit from its SQLite table; Socket.IO: the last id in the handshake, answered with one emit carrying every missed message, as a fair peer would), timed from connecting until the newest missed message is in; a separate client process, fresh connection each time, the first round (warm-up) not counted. handoff's history was written into its store before it started (the same events the app writes), and it is read from the conversation read model.",
    "",
    table(["behind", "system", "median ms", "range ms", "reconnects", "handoff/no-store", "handoff/durable", "handoff/Socket.IO"], body),
    "",
  ].join("\n");
}

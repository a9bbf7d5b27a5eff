// What an online rebuild tells the operator about each serving process (npm run rebuild, npm run projections -- rebuild).
import type { SwapAnswer } from "../projections/readModelSwap.ts";
import { terminalSafe } from "./terminalText.ts";

/** One line per serving process; returns how many did not swap (their old read models serve on). */
export function reportSwaps(swapped: readonly SwapAnswer[]): number {
  for (const answer of swapped) {
    if (answer.ok) process.stdout.write(`swapped in by the server on ${answer.target} (pid ${answer.pid}) at log position ${answer.position ?? "-"}, while serving\n`);
    else process.stderr.write(`${terminalSafe(`NOT SWAPPED ${answer.target}: ${answer.error ?? "?"} (its old read models serve on; run the rebuild again)`)}\n`);
  }
  return swapped.filter((answer) => !answer.ok).length;
}


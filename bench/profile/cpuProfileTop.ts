// node --import tsx bench/profile/cpuProfileTop.ts <file.cpuprofile> [top=25]
// Self time by function (name + file:line) of a `node --cpu-prof` profile, as a share of the busy
// samples (idle left out: a run on a loaded machine waits for the CPU). For the rebuild's profiles
// (docs/profiles/rebuild-bulk.md); bench/lib/profileSummary.ts also gives inclusive times.
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const file = process.argv[2]!;
const top = Number(process.argv[3] ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const label = (node: Node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^.*\/work\/main\//, "").replace(/^.*node_modules\//, "node_modules/").replace(/^file:\/\//, "");
  return `${functionName || "(anonymous)"}${short ? ` ${short}:${lineNumber + 1}` : ""}`;
};
const self = new Map<string, number>();
let busy = 0;
profile.samples.forEach((id, index) => {
  const name = label(byId.get(id)!);
  if (name === "(idle)") return;
  const us = profile.timeDeltas[index] ?? 0;
  busy += us;
  self.set(name, (self.get(name) ?? 0) + us);
});
console.log(`busy ${(busy / 1000).toFixed(0)} ms (idle excluded)`);
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
}

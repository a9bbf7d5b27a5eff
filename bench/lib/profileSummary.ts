// Reads a .cpuprofile (node --cpu-prof) and lists where the time went: self time by function,
// and inclusive time for the functions named, so a finding can quote figures.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  ms: number;
  share: number;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/(node_modules\/)?/, (match) => (match.includes("node_modules") ? "node_modules/" : ""));
  return `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
}

export function summarizeProfile(file: string, top = 25): { totalMs: number; self: ProfileLine[]; inclusive: ProfileLine[] } {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const totalUs = profile.endTime - profile.startTime;

  const selfByName = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const name = label(byId.get(id)!);
    selfByName.set(name, (selfByName.get(name) ?? 0) + us);
  }
  // Inclusive: a node's self plus its subtree's, counted once per name along a path.
  const inclusiveByName = new Map<string, number>();
  const walk = (id: number, onPath: Set<string>): number => {
    const node = byId.get(id)!;
    let us = selfUs.get(id) ?? 0;
    const name = label(node);
    const fresh = !onPath.has(name);
    if (fresh) onPath.add(name);
    for (const child of node.children ?? []) us += walk(child, onPath);
    if (fresh) {
      onPath.delete(name);
      inclusiveByName.set(name, (inclusiveByName.get(name) ?? 0) + us);
    }
    return us;
  };
  walk(profile.nodes[0]!.id, new Set());
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / totalUs }));
  return { totalMs: totalUs / 1000, self: lines(selfByName), inclusive: lines(inclusiveByName) };
}

if (process.argv[1]?.endsWith("profileSummary.ts")) {
  const summary = summarizeProfile(process.argv[2]!, Number(process.argv[3] ?? 25));
  console.log(`total ${summary.totalMs.toFixed(0)} ms\n-- self --`);
  for (const line of summary.self) console.log(`${(line.share * 100).toFixed(1).padStart(5)}%  ${line.ms.toFixed(0).padStart(7)} ms  ${line.name}`);
  console.log("-- inclusive --");
  for (const line of summary.inclusive) console.log(`${(line.share * 100).toFixed(1).padStart(5)}%  ${line.ms.toFixed(0).padStart(7)} ms  ${line.name}`);
}

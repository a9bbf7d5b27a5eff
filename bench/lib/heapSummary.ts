// Reads a V8 heap snapshot and lists the object kinds that take the most memory (count, self
// bytes), or compares two snapshots: enough to say what an idle connection is made of.
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

export function heapByKind(file: string): Map<string, { count: number; bytes: number }> {
  const snapshot = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const kinds = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += stride) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    const name = snapshot.strings[snapshot.nodes[i + nameAt]!]!;
    const key = type === "object" || type === "closure" || type === "native" ? `${type}:${name}` : type;
    const entry = kinds.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += snapshot.nodes[i + sizeAt]!;
    kinds.set(key, entry);
  }
  return kinds;
}

/** Growth from one snapshot to the next by object kind, divided by `per` (e.g. connections opened), largest first. */
export function heapGrowth(before: string, after: string, per = 1): { total: number; rows: { key: string; count: number; bytes: number }[] } {
  const a = heapByKind(before);
  const b = heapByKind(after);
  const rows = [...b.entries()].map(([key, value]) => {
    const old = a.get(key) ?? { count: 0, bytes: 0 };
    return { key, count: (value.count - old.count) / per, bytes: (value.bytes - old.bytes) / per };
  });
  rows.sort((x, y) => y.bytes - x.bytes);
  return { total: rows.reduce((sum, row) => sum + row.bytes, 0), rows };
}

export function printHeapGrowth(growth: ReturnType<typeof heapGrowth>, label = "growth per unit"): void {
  console.log(`${label}: ${growth.total.toFixed(0)} bytes`);
  for (const row of growth.rows.slice(0, 40)) console.log(`${row.bytes.toFixed(0).padStart(7)} B  ${row.count.toFixed(2).padStart(7)}×  ${row.key.slice(0, 100)}`);
}

if (process.argv[1]?.endsWith("heapSummary.ts")) {
  printHeapGrowth(heapGrowth(process.argv[2]!, process.argv[3]!, Number(process.argv[4] ?? 1)));
}

// The layers point one way: live/ (the hub, the feeds, presence and typing signals) is used by the
// application and the edge, and never reaches back into app/ (it gets narrow sources instead); the
// routes write through commands and read through queries, never the raw store or read-model database.
// Every folder (and top-level file) of src/ has its place in one table of allowed import directions,
// and no module imports itself back, however long the way round.
import { readdirSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = fileURLToPath(new URL("../../src/", import.meta.url));

function sourcesOf(dir: string): { file: string; text: string }[] {
  return readdirSync(`${srcDir}${dir}`, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => ({ file: `${dir}/${file}`, text: readFileSync(`${srcDir}${dir}/${file}`, "utf8") }));
}

function importsOf(dir: string): { file: string; from: string }[] {
  return readdirSync(`${srcDir}${dir}`, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .flatMap((file) => [...readFileSync(`${srcDir}${dir}/${file}`, "utf8").matchAll(/^import[^;]*?from\s+"([^"]+)"/gms)].map((match) => ({ file: `${dir}/${file}`, from: match[1]! })));
}

describe("layering", () => {
  it("live/ imports nothing from app/ or http/", () => {
    const imports = importsOf("live");
    expect(imports.length).toBeGreaterThan(5); // it does read the files
    expect(imports.filter(({ from }) => /(^|\/)(app|http)\//.test(from))).toEqual([]);
  });

  it("routes never reach the raw event store or the read-model database (the audit, which replays the log, aside)", () => {
    const routes = sourcesOf("http").filter(({ file }) => !file.startsWith("http/audit/"));
    expect(routes.length).toBeGreaterThan(20);
    const raw = routes.flatMap(({ file, text }) => [...text.matchAll(/\bhandoff\.(store|readDb)\b/g)].map((match) => `${file}: handoff.${match[1]}`));
    expect(raw).toEqual([]);
  });

  it("only the composition files hold the whole Handoff: every route, page, stream and audit module names what it uses", () => {
    const composition = new Set(["http/app.ts", "http/apiRoutes.ts", "http/pageRoutes.ts", "app/handoff.ts", "app/services.ts"]);
    const modules = [...sourcesOf("http"), ...sourcesOf("audit"), ...sourcesOf("app")].filter(({ file }) => !composition.has(file));
    expect(modules.length).toBeGreaterThan(60); // it does read the files
    // Pick<Handoff, ...> / Omit<Handoff, ...> name a part; a bare Handoff in a type position is the whole.
    const whole = modules.flatMap(({ file, text }) =>
      [...text.replace(/\b(?:Pick|Omit)<\s*Handoff\b/g, "").matchAll(/(?::|<|&|\||,)\s*Handoff\b(?![-'])/g)].map((match) => `${file}: ${match[0].trim()}`),
    );
    expect(whole).toEqual([]);
  });

  it("every import of src/ goes the way the layer table allows", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(200); // it does read the files
    const folders = new Set([...graph.keys()].map(unitOf));
    expect([...folders].filter((unit) => !(unit in mayImport)).sort()).toEqual([]); // a new folder takes its place in the table first
    const against = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => unitOf(target) !== unitOf(file) && !mayImport[unitOf(file)]!.includes(unitOf(target))).map((target) => `${file} -> ${target}`),
    );
    expect(against).toEqual([]);
  });

  it("the layer table itself has no cycle between folders, so neither have the imports it allows", () => {
    const folderGraph = new Map(Object.entries(mayImport));
    expect(cyclesOf(folderGraph)).toEqual([]);
  });

  it("the edge (failures, origin, rate limits, security headers) imports neither the API nor the pages", () => {
    const edge = [...importGraph()].filter(([file]) => file.startsWith("http/edge/"));
    expect(edge.length).toBeGreaterThanOrEqual(4);
    expect(edge.flatMap(([file, targets]) => targets.filter((target) => /^http\/(api|pages|sse|audit)\//.test(target)).map((target) => `${file} -> ${target}`))).toEqual([]);
  });

  it("no module of src/ imports itself back, through however many others", () => {
    expect(cyclesOf(importGraph())).toEqual([]);
  });

  it("the cycle finder finds a cycle (so the test above can fail)", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts", "d.ts"]],
      ["d.ts", []],
    ]);
    expect(cyclesOf(graph)).toEqual([["a.ts", "b.ts", "c.ts"]]);
    expect(cyclesOf(new Map([["a.ts", ["a.ts"]]]))).toEqual([["a.ts"]]);
  });
});

/**
 * Which folders (and top-level files) of src/ each may import, besides itself: what the code does,
 * no more. Read down: nothing imports a folder above it.
 */
const mayImport: Record<string, readonly string[]> = {
  domain: [],
  observability: [],
  attachments: [],
  projectPaths: [],
  outbound: [],
  push: ["domain", "observability", "outbound"],
  config: ["domain", "observability"],
  eventstore: ["config", "domain", "observability"],
  projections: ["domain", "eventstore", "observability"],
  mail: ["domain", "eventstore", "observability", "projectPaths"],
  live: ["domain", "eventstore", "observability", "projections"],
  reactors: ["domain", "eventstore", "live", "observability", "outbound", "projections", "push"],
  scale: ["config", "observability"],
  audit: ["attachments", "domain", "eventstore", "observability", "projections"],
  app: ["attachments", "audit", "config", "domain", "eventstore", "live", "mail", "observability", "outbound", "projections", "push", "reactors", "scale"],
  http: ["app", "attachments", "audit", "config", "domain", "eventstore", "live", "observability", "outbound", "projectPaths", "projections", "scale"],
  cli: ["app", "attachments", "audit", "config", "domain", "eventstore", "observability", "projections", "reactors"],
  shutdown: ["app", "observability"],
  server: ["app", "config", "eventstore", "http", "observability", "shutdown"],
  main: ["config", "observability", "scale", "server"],
};

/** A file's folder under src/ ("http/edge/failures.ts" -> "http"), or a top-level file's own name ("config.ts" -> "config"). */
function unitOf(file: string): string {
  const slash = file.indexOf("/");
  return slash < 0 ? file.replace(/\.ts$/, "") : file.slice(0, slash);
}

/** Every .ts file of src/ (relative to it) with the src/ files it imports: static, re-exported and dynamic, types included. */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(srcDir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
  const specifier = /^(?:import|export)\s[^;]*?\sfrom\s+"(\.[^"]+)"|^import\s+"(\.[^"]+)"|\bimport\(\s*"(\.[^"]+)"\s*\)/gms;
  return new Map(
    files.map((file) => {
      const text = readFileSync(`${srcDir}${file}`, "utf8");
      const targets = [...text.matchAll(specifier)].map((match) => posix.normalize(posix.join(posix.dirname(file), (match[1] ?? match[2] ?? match[3])!)));
      return [file, [...new Set(targets)]];
    }),
  );
}

/** Each cycle (a strongly connected group of two or more, or one that imports itself), its members sorted (Tarjan). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(group.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

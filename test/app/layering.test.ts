// The layers point one way: live/ (the hub, the feeds, presence and typing signals) is used by the
// application and the edge, and never reaches back into app/ (it gets narrow sources instead); the
// routes write through commands and read through queries, never the raw store or read-model database.
import { readdirSync, readFileSync } from "node:fs";
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
});

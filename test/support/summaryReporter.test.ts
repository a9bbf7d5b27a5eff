// The summary line CI reads must agree with vitest's own verdict (its exit code) in every case:
// vitest runs, as a child process, small fixture files kept outside `npm test`'s include glob.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const config = "test/support/fixtures/vitest.fixtures.config.ts";

interface FixtureRun {
  exitCode: number | null;
  summary: { passed: number; failed: number; skipped: number } | undefined;
  lastLine: string;
  output: string;
}

/** Runs vitest on the fixture files whose names start with `filters` (all of them when none). */
function runFixtures(...filters: string[]): Promise<FixtureRun> {
  // The child is a run of its own, not a worker of this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST") && name !== "NODE_OPTIONS"));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--config", config, ...filters], { cwd: root, env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (exitCode) => {
      const lastLine = output.trimEnd().split("\n").at(-1) ?? "";
      const match = /^(\d+) passed, (\d+) failed, (\d+) skipped$/.exec(lastLine);
      const summary = match ? { passed: Number(match[1]), failed: Number(match[2]), skipped: Number(match[3]) } : undefined;
      resolve({ exitCode, summary, lastLine, output });
    });
  });
}

// Each case is a vitest run of its own (its exit code is the verdict); they run side by side.
// A whole vitest start-up per case: on a loaded machine that takes a while, hence the long timeout.
describe.concurrent("the summary line", { timeout: 180_000 }, () => {
  const cases: [fixture: string, expected: string, vitestFails: boolean][] = [
    ["passing", "2 passed, 0 failed, 0 skipped", false],
    ["beforeAllFails", "0 passed, 1 failed, 2 skipped", true],
    ["afterAllFails", "2 passed, 1 failed, 0 skipped", true],
    ["importFails", "0 passed, 1 failed, 0 skipped", true],
    ["suiteFails", "0 passed, 1 failed, 0 skipped", true],
  ];

  it.each(cases)("agrees with vitest's verdict for %s", async (fixture, expected, vitestFails) => {
    const run = await runFixtures(fixture);
    expect(run.exitCode, run.output).toBe(vitestFails ? 1 : 0);
    expect(run.lastLine, run.output).toBe(expected);
    expect(run.summary!.failed > 0).toBe(run.exitCode !== 0);
  });

  it("counts every failure when the cases run together, and names where each one outside a test happened", async () => {
    const run = await runFixtures();
    expect(run.exitCode, run.output).toBe(1);
    expect(run.lastLine, run.output).toBe("4 passed, 4 failed, 2 skipped");
    const notes = run.output.split("\n").filter((line) => line.startsWith("note: failed outside a test: "));
    expect(notes.map((note) => note.split(": ")[2]!.split(" ")[0]).sort()).toEqual([
      "afterAllFails.fixture.ts",
      "beforeAllFails.fixture.ts",
      "importFails.fixture.ts",
      "suiteFails.fixture.ts",
    ]);
  });
});

// `npm run reactors` as a real process over a data dir: status shows a stopped reactor (exit 1),
// retry and skip resolve it, unknown names and a data dir without reactors.db exit 2.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openReactorState, readReactorSkips, readReactorStates } from "../../src/reactors/reactorState.ts";
import { makeTempDir } from "../support/tempDir.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const dir = makeTempDir("reactors-cli");
afterAll(() => dir.remove());

function reactors(dataDir: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/reactors.ts", ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir, EVENT_STORE: "sqlite" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Two reactors as a runner leaves them: one stopped on an event, one running with a wake-up. */
function stopped(name: string) {
  const db = openReactorState(join(dir.path, "reactors.db"));
  try {
    db.prepare("INSERT OR REPLACE INTO reactor_checkpoints (name, position) VALUES ('fine', '9')").run();
    db.prepare("INSERT OR REPLACE INTO reactor_wakeups (reactor, key, due_at, payload) VALUES ('fine', 'k', ?, '{}')").run(Date.parse("2030-01-01T00:00:00Z"));
    db.prepare(
      `INSERT OR REPLACE INTO reactor_checkpoints (name, position, in_flight, attempts, failed_position, failed_stream, failed_revision, failed_type, failed_event_id, failed_error, failed_at)
       VALUES (?, '4', '5', 5, '5', 'giveaway-x', '2', 'PickupProposalAccepted', 'e-1', 'smtp said no', '2026-11-24T10:00:00Z')`,
    ).run(name);
  } finally {
    db.close();
  }
}

function states() {
  const db = openReactorState(join(dir.path, "reactors.db"));
  try {
    return { states: readReactorStates(db), skips: readReactorSkips(db) };
  } finally {
    db.close();
  }
}

describe("npm run reactors", () => {
  it("refuses without a reactors.db, and unknown names", async () => {
    const empty = makeTempDir("reactors-cli-empty");
    try {
      const none = await reactors(empty.path, "status");
      expect(none.code).toBe(2);
      expect(none.stderr).toContain("no reactor state");
    } finally {
      empty.remove();
    }
    stopped("mailer");
    const unknown = await reactors(dir.path, "retry", "nobody");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no reactor named nobody");
    expect((await reactors(dir.path, "retry")).code).toBe(2);
  });

  it("status shows the stopped one (exit 1); retry clears it, skip passes over its event", async () => {
    stopped("mailer");
    const status = await reactors(dir.path, "status");
    expect(status.code, status.stderr).toBe(1);
    expect(status.stdout).toContain("STOPPED reactor mailer stopped at giveaway-x revision 2 (PickupProposalAccepted, event e-1, log position 5) after 5 attempts: smtp said no");
    expect(status.stdout).toMatch(/running fine: checkpoint 9 \(run by no process now; 1 wake-up\(s\), next due 2030-01-01T00:00:00.000Z\)/);

    const retry = await reactors(dir.path, "retry", "mailer");
    expect(retry.code, retry.stderr).toBe(0);
    expect(states().states.find((state) => state.name === "mailer")).toMatchObject({ failure: undefined, position: 4n, attempts: 0, inFlight: 5n });
    expect((await reactors(dir.path, "status")).code).toBe(0);

    stopped("mailer");
    const skip = await reactors(dir.path, "skip", "mailer");
    expect(skip.code, skip.stderr).toBe(0);
    expect(skip.stdout).toContain("skip mailer: passed over giveaway-x revision 2");
    const after = states();
    expect(after.states.find((state) => state.name === "mailer")).toMatchObject({ failure: undefined, position: 5n, inFlight: undefined });
    expect(after.skips.map((each) => [each.name, each.position])).toEqual([["mailer", 5n]]);
    expect((await reactors(dir.path, "status")).stdout).toContain("skipped by an operator");
  });
});

// At least once across a crash: a process is killed (SIGKILL) after an event was committed and its
// reactor had begun its effect but before it finished; started again on the same data dir, the
// reactor is handed the event again, told it may repeat, and the effect happens.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { openReactorState, readReactorStates } from "../../src/reactors/reactorState.ts";
import { makeTempDir } from "../support/tempDir.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const dir = makeTempDir("reactor-crash");
const effects = join(dir.path, "effects.txt");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  dir.remove();
});

function startChild(mode: "hang" | "finish"): { child: ChildProcess; holding: Promise<void>; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ["--import", "tsx", "test/reactors/crashChild.ts"], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dir.path, EFFECTS_FILE: effects, CHILD_MODE: mode, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  const holding = new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      if (output.includes("holding")) resolve();
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("exit", () => reject(new Error(`child exited before holding its reactor:\n${output}`)));
  });
  holding.catch(() => {});
  const exited = new Promise((resolve) => child.on("exit", resolve));
  return { child, holding, exited };
}

const lines = () => (existsSync(effects) ? readFileSync(effects, "utf8").trim().split("\n") : []);

function reactorState() {
  const db = openReactorState(join(dir.path, "reactors.db"));
  try {
    return readReactorStates(db).find((state) => state.name === "effects")!;
  } finally {
    db.close();
  }
}

describe("a durable reactor across a crash", () => {
  it("is handed the event again after a SIGKILL between commit and effect, with mayRepeat, and the effect happens", { timeout: 60_000 }, async () => {
    const first = startChild("hang");
    await first.holding;

    const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
    const giveawayId = crypto.randomUUID();
    const data = { giveawayId, giverId: crypto.randomUUID(), title: "parcel", description: "", createdAt: new Date().toISOString() };
    const { position } = await store.appendToStream(`giveaway-${giveawayId}`, [{ id: crypto.randomUUID(), type: "GiveawayCreated", data }]);
    await store.close();

    // Committed, and the handler has begun: kill the process there.
    await vi.waitFor(() => expect(lines()).toEqual(["started parcel mayRepeat=false"]), { timeout: 15_000 });
    first.child.kill("SIGKILL");
    await first.exited;
    expect(reactorState()).toMatchObject({ position: undefined, inFlight: position });

    const second = startChild("finish");
    await second.holding; // once the dead process's lease has lapsed
    await vi.waitFor(() => expect(lines()).toContain("effect parcel mayRepeat=true"), { timeout: 15_000 });
    expect(lines()).toEqual(["started parcel mayRepeat=false", "started parcel mayRepeat=true", "effect parcel mayRepeat=true"]);
    await vi.waitFor(() => expect(reactorState()).toMatchObject({ position, inFlight: undefined }));

    second.child.kill("SIGTERM");
    await second.exited;
    expect(reactorState().lease).toBeUndefined(); // released at close
  });
});

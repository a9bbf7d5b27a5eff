// npm run rebuild while a real server process serves (issue 24): the server starts cold over a
// seeded store (its read models built in bulk), keeps answering while the CLI rebuilds in a process
// of its own, swaps the rebuilt file in, and ends equal to a from-zero rebuild; a CLI killed
// mid-build leaves the old read models serving, and the next rebuild succeeds.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventsPerGiveaway, writeHistory } from "../../bench/seed/giveawayHistory.ts";
import { buildFreshReadModels } from "../../src/audit/readModelRebuild.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { drawnGiveaway, send, type Conversation } from "../http/apiFixtures.ts";
import { compareEveryTable } from "../support/readModelCompare.ts";
import { startServerProcess, type ServerProcess } from "../support/serverProcess.ts";
import { makeTempDir } from "../support/tempDir.ts";
import type { TestServer } from "../support/testServer.ts";
import { repoRoot, runCliCommand, type CliRun } from "./auditFixtures.ts";
import { declaredReadModels } from "../../src/app/declaredParts.ts";

let dir: ReturnType<typeof makeTempDir>;
let server: ServerProcess;
let talk: Conversation;
const asServer = (process: ServerProcess) => ({ url: process.url }) as TestServer;

function startRebuild(): { child: ReturnType<typeof spawn>; result: Promise<CliRun> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/rebuild.ts"], {
    cwd: repoRoot,
    env: { ...process.env, EVENT_STORE: "sqlite", STORE_DURABILITY: "normal", DATA_DIR: dir.path },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const result = new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { child, result };
}

/** Reads and writes through the server until `finished` settles: every status seen, the messages sent. */
async function serveWhile(finished: Promise<unknown>): Promise<{ statuses: number[]; sent: string[] }> {
  let over = false;
  void finished.finally(() => (over = true));
  const statuses: number[] = [];
  const sent: string[] = [];
  for (let i = 0; !over && i < 5000; i++) {
    const read = await request(server.url).get(`/api/giveaways/${talk.giveawayId}/messages`).set(talk.winner.auth);
    statuses.push(read.status);
    if (i % 5 === 0) {
      const content = `during the rebuild ${sent.length}`;
      await send(asServer(server), talk.giver, talk.giveawayId, content);
      sent.push(content);
    }
  }
  return { statuses, sent };
}

async function messagesShown(): Promise<string[]> {
  const read = await request(server.url).get(`/api/giveaways/${talk.giveawayId}/messages?limit=1000`).set(talk.winner.auth);
  expect(read.status).toBe(200);
  return (read.body.messages as { content: string }[]).map((message) => message.content);
}

beforeAll(async () => {
  dir = makeTempDir("online-rebuild");
  // Enough that a rebuild takes a moment to write, little enough to seed fast.
  const shape = { entrantsPerGiveaway: 3, messagesPerGiveaway: 90, readEvery: 10 };
  const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
  await writeHistory(store, { users: 60, giveaways: Math.ceil(60_000 / eventsPerGiveaway(shape)), ...shape });
  await store.close();
  // No read models yet: the server builds them in bulk at start.
  server = await startServerProcess({ dataDir: dir.path, env: { LOG_LEVEL: "info" }, timeoutMs: 120_000 });
  talk = await drawnGiveaway(asServer(server));
}, 240_000);

afterAll(async () => {
  await server?.kill("SIGKILL");
  dir?.remove();
});

describe("npm run rebuild with a server running", () => {
  it("a cold start builds the read models in bulk, then follows the log", () => {
    expect(server.outputBesidesRequests()).toMatch(/read models built in bulk at start/);
  });

  it("serves throughout, swaps the rebuilt file in, shows what was sent meanwhile, and equals a from-zero rebuild", async () => {
    const rebuild = startRebuild();
    const { statuses, sent } = await serveWhile(rebuild.result);
    const result = await rebuild.result;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/rebuilt .*readmodels\.rebuild\.db: \d+ events/);
    expect(result.stdout).toMatch(/swapped in by the server on readmodels\.db \(pid \d+\) at log position \d+, while serving/);
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(server.outputBesidesRequests()).toMatch(/rebuilt read models swapped in/);

    // Sent before, during and after the swap: all shown, and a message sent now too.
    await send(asServer(server), talk.giver, talk.giveawayId, "after the swap");
    const shown = await messagesShown();
    for (const content of [...sent, "after the swap"]) expect(shown).toContain(content);

    // Nothing left behind: the request, the answers, the built file, the server's copy.
    expect(readdirSync(dir.path).filter((name) => /swap|rebuild|\.next\./.test(name))).toEqual([]);

    // Equal to the read models built from zero over the same log.
    const scratch = makeTempDir("online-rebuild-fresh");
    const fresh = join(scratch.path, "fresh.db");
    const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
    try {
      await buildFreshReadModels({ projections: declaredReadModels, store, file: fresh });
    } finally {
      await store.close();
    }
    const served = new Database(join(dir.path, "readmodels.db"), { readonly: true });
    const rebuilt = new Database(fresh, { readonly: true });
    try {
      const compared = compareEveryTable(served, rebuilt);
      expect(compared.counts.messages).toBeGreaterThan(40_000);
      expect(compared.schema.live).toEqual(compared.schema.rebuilt);
      expect(compared.differences).toEqual([]);
    } finally {
      served.close();
      rebuilt.close();
      scratch.remove();
    }
  }, 240_000);

  it("a rebuild killed mid-build leaves the old read models serving; the next one swaps", async () => {
    const before = await messagesShown();
    const fresh = join(dir.path, "readmodels.rebuild.db");
    const rebuild = startRebuild();
    const deadline = Date.now() + 60_000;
    while (!existsSync(fresh)) {
      if (Date.now() > deadline) throw new Error(`the rebuild never started writing: ${(await Promise.race([rebuild.result, Promise.resolve(undefined)]))?.stderr ?? ""}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    rebuild.child.kill("SIGKILL");
    const killed = await rebuild.result;
    expect(killed.code).toBe(null);
    // Killed before asking: no server was asked, and the old file serves on.
    expect(existsSync(join(dir.path, "readmodels.swap-request"))).toBe(false);
    await send(asServer(server), talk.giver, talk.giveawayId, "after the killed rebuild");
    expect(await messagesShown()).toEqual(expect.arrayContaining([...before, "after the killed rebuild"]));

    const again = await runCliCommand("rebuild", [], { DATA_DIR: dir.path });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/swapped in by the server on readmodels\.db/);
    expect(existsSync(fresh)).toBe(false);
    expect(await messagesShown()).toEqual(expect.arrayContaining([...before, "after the killed rebuild"]));
  }, 240_000);
});

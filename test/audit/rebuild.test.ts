// npm run rebuild: every read model rebuilt from the log equals what the live server had built.
import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { conversationWithMoments, drawnGiveaway, markRead, registerUser, runCliCommand, send } from "./auditFixtures.ts";

const tables = ["users", "giveaways", "entrants", "messages", "inbox", "checkpoint"];

/** Every row of every read model table, in a stable order. */
function dumpReadModels(dataDir: string): Record<string, string[]> {
  const db = new Database(join(dataDir, "readmodels.db"), { readonly: true });
  try {
    return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT * FROM ${table}`).all().map((row) => JSON.stringify(row)).sort()]));
  } finally {
    db.close();
  }
}

let dir: ReturnType<typeof makeTempDir>;
let server: TestServer | undefined;
let live: Record<string, string[]>;

beforeAll(async () => {
  dir = makeTempDir("rebuild");
  server = await startTestServer({ dataDir: dir.path });
  const { handoff } = server;
  const { giver, winner } = await conversationWithMoments(handoff, { giver: "gina", winner: "walt", loser: "lou" });
  // A second giveaway with other people, so unread counts and inboxes differ between users.
  const other = await registerUser(handoff, "olga");
  const second = await drawnGiveaway(handoff, other, giver, [winner]);
  await send(handoff, second, other, "Yours! Pick it up any evening.");
  await send(handoff, second, other, "I am home after six.");
  const last = await send(handoff, second, giver, "Tomorrow then.");
  await markRead(handoff, second, other, last - 1);
  await registerUser(handoff, "quiet"); // a user with no giveaways at all
  await server.stop();
  server = undefined;
  live = dumpReadModels(dir.path);
});

afterAll(async () => {
  await server?.stop();
  dir?.remove();
});

describe("npm run rebuild", () => {
  it("the live read models hold what the flow did (so the comparison means something)", () => {
    expect(live.users).toHaveLength(5);
    expect(live.giveaways).toHaveLength(2);
    expect(live.messages).toHaveLength(7);
    expect(live.inbox).toHaveLength(4);
    expect(live.inbox!.some((row) => JSON.parse(row).unread_count > 0)).toBe(true);
  });

  it("rebuilds every read model from zero into a fresh file equal to the live one, and prints events/s", async () => {
    const result = await runCliCommand("rebuild", [], { DATA_DIR: dir.path });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/rebuilt .*readmodels\.db: 23 events in [\d.]+ s \(\d+ events\/s\)/);
    expect(existsSync(join(dir.path, "readmodels.rebuild.db"))).toBe(false);
    expect(dumpReadModels(dir.path)).toEqual(live);
  });

  it("rebuilds over a read model file that was damaged, not from where it stood", async () => {
    const db = new Database(join(dir.path, "readmodels.db"));
    db.exec("DELETE FROM messages; UPDATE inbox SET unread_count = 99");
    db.close();
    const result = await runCliCommand("rebuild", [], { DATA_DIR: dir.path });
    expect(result.code, result.stderr).toBe(0);
    expect(dumpReadModels(dir.path)).toEqual(live);
  });

  it("npm run projections -- rebuild <name> rebuilds that read model alone, equal to before", async () => {
    const db = new Database(join(dir.path, "readmodels.db"));
    db.exec("UPDATE inbox SET unread_count = 99; DELETE FROM users WHERE username = 'quiet'");
    db.close();
    const result = await runCliCommand("projections", ["rebuild", "inbox"], { DATA_DIR: dir.path });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/rebuilt inbox \(inbox\) from 23 events/);
    const after = dumpReadModels(dir.path);
    expect(after.inbox).toEqual(live.inbox);
    // Only the named read model: the damage to another stays until it is rebuilt too.
    expect(after.users).toHaveLength(4);
    expect((await runCliCommand("projections", ["rebuild", "users"], { DATA_DIR: dir.path })).code).toBe(0);
    expect(dumpReadModels(dir.path)).toEqual(live);
    const unknown = await runCliCommand("projections", ["rebuild", "nonesuch"], { DATA_DIR: dir.path });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no projection named nonesuch/);
  });

  it("with a server running, rebuilds online: the server swaps the rebuilt file in and serves on", async () => {
    server = await startTestServer({ dataDir: dir.path });
    try {
      const result = await runCliCommand("rebuild", [], { DATA_DIR: dir.path });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/swapped in by the server on readmodels\.db \(pid \d+\) at log position \d+, while serving/);
      expect(server.handoff.queries.listGiveaways()).toHaveLength(2);
      // A named read model alone cannot be replaced under a server: every one is, online, and it says so.
      const one = await runCliCommand("projections", ["rebuild", "inbox"], { DATA_DIR: dir.path });
      expect(one.code, one.stderr).toBe(0);
      expect(one.stdout).toMatch(/a server is running: rebuilt every read model \(inbox among them\) from 23 events .* online/);
      expect(one.stdout).toMatch(/swapped in by the server on readmodels\.db/);
      expect(server.handoff.queries.listGiveaways()).toHaveLength(2);
    } finally {
      await server.stop();
      server = undefined;
    }
    expect(dumpReadModels(dir.path)).toEqual(live);
    expect(existsSync(join(dir.path, "readmodels.swap-request"))).toBe(false);
    expect(existsSync(join(dir.path, "readmodels.next.db"))).toBe(false);
  });

  it("refuses while a program that is not a server has the read models open, and leaves them as they are", async () => {
    const holder = new Database(join(dir.path, "readmodels.db"));
    holder.prepare("SELECT count(*) FROM users").get();
    try {
      const result = await runCliCommand("rebuild", [], { DATA_DIR: dir.path });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/in use by a program that is not a handoff server/);
      const one = await runCliCommand("projections", ["rebuild", "inbox"], { DATA_DIR: dir.path });
      expect(one.code).toBe(2);
      expect(one.stderr).toMatch(/in use \(is the server running\?\)/);
    } finally {
      holder.close();
    }
    expect(existsSync(join(dir.path, "readmodels.rebuild.db"))).toBe(false);
    expect(dumpReadModels(dir.path)).toEqual(live);
  });

  it("a server starts over the rebuilt file and serves from it", async () => {
    server = await startTestServer({ dataDir: dir.path });
    try {
      expect(server.handoff.queries.listGiveaways()).toHaveLength(2);
      const giveaway = server.handoff.queries.listGiveaways().find((g) => g.giverName === "gina")!;
      expect(server.handoff.queries.latestMessages(giveaway.id).map((m) => m.content)).toContain("Saturday works.");
    } finally {
      await server.stop();
      server = undefined;
    }
  });
});

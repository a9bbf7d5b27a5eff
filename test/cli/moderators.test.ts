// `npm run moderators` as a real process over a running server's data dir: grant by username or id
// lets the user into /api/moderation on the running server; revoke takes it back; bad arguments and
// unknown users exit 2.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCliCommand } from "../audit/auditFixtures.ts";
import { signUp } from "../http/apiFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

function moderators(dataDir: string, ...args: string[]) {
  return runCliCommand("moderators", args, { DATA_DIR: dataDir });
}

describe("npm run moderators", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("grants by username and revokes by id, for the running server", async () => {
    const user = await signUp(server, "cli_mod");
    const queue = () => request(server.url).get("/api/moderation/reports").set(user.auth);
    expect((await queue()).status).toBe(403);

    const granted = await moderators(server.dataDir, "grant", user.username.toUpperCase());
    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.stdout).toContain("is now a moderator");
    await vi.waitFor(async () => expect((await queue()).status).toBe(200));
    const again = await moderators(server.dataDir, "grant", user.id);
    expect(again.stdout).toContain("was already a moderator");

    const revoked = await moderators(server.dataDir, "revoke", user.id);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain("is now no longer a moderator");
    await vi.waitFor(async () => expect((await queue()).status).toBe(403));
    const types = (await server.handoff.store.readStream(`user-${user.id}`)).map((event) => event.type);
    expect(types.filter((type) => type.startsWith("Moderator"))).toEqual(["ModeratorGranted", "ModeratorRevoked"]);
  });

  it("refuses bad arguments and unknown users with exit code 2", async () => {
    for (const args of [["promote", "ann"], ["grant"], ["grant", "nosuchuser"]]) {
      const run = await moderators(server.dataDir, ...args);
      expect(run.code, `${args.join(" ")}: ${run.stdout}`).toBe(2);
      expect(run.stderr.length).toBeGreaterThan(0);
    }
  });
});

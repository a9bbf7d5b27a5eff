// `npm run service-keys` as a real process over a running server's data dir: create prints the secret
// once and stores only its hash; list shows names, times and revocation; revoke holds at once for the
// running server (it reads the key's stream on every call).
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCommand } from "../audit/auditFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

function serviceKeys(dataDir: string, ...args: string[]) {
  return runCliCommand("serviceKeys", args, { DATA_DIR: dataDir });
}

describe("npm run service-keys", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("creates a key whose secret works at once, lists it, and revokes it for the running server", async () => {
    const created = await serviceKeys(server.dataDir, "create", "shop");
    expect(created.code, created.stderr).toBe(0);
    const secret = /^(hsk_shop_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
    expect(secret, created.stdout).toBeDefined();
    const stored = JSON.stringify((await server.handoff.store.readStream("servicekey-shop")).map(({ data, metadata }) => ({ data, metadata })));
    expect(stored).not.toContain(secret!.slice(9));

    const path = "/api/platform/giveaways/cli-test";
    const body = { title: "A chair", giverId: "ann" };
    const put = await request(server.url).put(path).set("Authorization", `Bearer ${secret}`).set("Idempotency-Key", "one").send(body);
    expect(put.status, JSON.stringify(put.body)).toBe(201);

    const listed = await serviceKeys(server.dataDir, "list");
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^shop\tcreated \d{4}-\d\d-\d\dT[\d:.]+Z\tactive$/m);

    const taken = await serviceKeys(server.dataDir, "create", "shop");
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain("already exists");

    const revoked = await serviceKeys(server.dataDir, "revoke", "shop");
    expect(revoked.code, revoked.stderr).toBe(0);
    const refused = await request(server.url).get(path).set("Authorization", `Bearer ${secret}`);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("invalid_service_key");
    expect((await serviceKeys(server.dataDir, "list")).stdout).toMatch(/^shop\tcreated \S+\trevoked \S+$/m);
  });

  it("refuses bad arguments, bad names and unknown keys with exit code 2", async () => {
    for (const args of [["frobnicate"], ["create", "Bad_Name"], ["revoke", "nosuchkey"]]) {
      const run = await serviceKeys(server.dataDir, ...args);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr.length, `${args.join(" ")}: ${run.stdout}`).toBeGreaterThan(0);
    }
  });
});

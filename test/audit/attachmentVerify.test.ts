// npm run verify checks every attachment a stream references: bytes present, matching the sha256
// the (hash-chained) event recorded.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnGiveaway } from "../http/apiFixtures.ts";
import { onePixelPng } from "../support/sampleFiles.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { runCliCommand } from "./auditFixtures.ts";

let server: TestServer;
let giveawayId: string;
let blobFile: string;

beforeAll(async () => {
  server = await startTestServer();
  const talk = await drawnGiveaway(server);
  giveawayId = talk.giveawayId;
  const uploaded = await request(server.url).post(`/api/giveaways/${giveawayId}/attachments`).set(talk.giver.auth).set("Content-Type", "image/png").send(onePixelPng());
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  blobFile = join(server.dataDir, "blobs", uploaded.body.sha256.slice(0, 2), uploaded.body.sha256);
  await server.stop();
});

afterAll(() => server?.close());

describe("npm run verify and attachments", () => {
  it("passes with the bytes in place, names an altered blob, then a missing one (exit 1)", { timeout: 120_000 }, async () => {
    const env = { DATA_DIR: server.dataDir };
    const intact = await runCliCommand("verify", [], env);
    expect(intact.code, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toContain("OK 1 attachments: bytes present and matching their sha256");

    writeFileSync(blobFile, Buffer.from("not the photo"));
    const altered = await runCliCommand("verify", [giveawayId], env);
    expect(altered.code).toBe(1);
    expect(altered.stdout).toMatch(new RegExp(`BROKEN giveaway-${giveawayId} revision \\d+ attachment [0-9a-f-]{36} .*do not match their sha256`));

    rmSync(blobFile);
    const missing = await runCliCommand("verify", [], env);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("its bytes are missing from the blob store");
    expect(missing.stdout).toContain("hash chains intact"); // the chain itself is fine: only the bytes are gone
  });
});

// A platform user suspended by a moderator: the platform's one-time links give them no session, and
// the platform's backend cannot make them an entrant or a winner (409 user_suspended).
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformUserId } from "../../src/domain/platformIds.ts";
import { startFakePlatform, type FakePlatform } from "../support/fakePlatform.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

let platform: FakePlatform;
let server: TestServer;
let serviceKey: string;

beforeAll(async () => {
  platform = await startFakePlatform();
  server = await startTestServer({ env: platform.env });
  serviceKey = await server.handoff.serviceKeys.create("shop");
  // The spammer has used handoff before; a moderator from the platform (its role in the token) suspends them.
  expect((await request(server.url).get("/api/me").set("Authorization", `Bearer ${await platform.sign({ sub: "spammer", name: "Spam" })}`)).status).toBe(200);
  const moderator = await platform.sign({ sub: "mod-1", name: "Mo", roles: ["moderator"] });
  const suspended = await request(server.url)
    .post("/api/moderation/actions")
    .set("Authorization", `Bearer ${moderator}`)
    .send({ action: "suspend", userId: platformUserId("spammer"), reason: "asked for a delivery fee" });
  expect(suspended.status, JSON.stringify(suspended.body)).toBeLessThan(300);
});

afterAll(async () => {
  await server?.close();
  await platform?.close();
});

const push = (method: "put" | "post", path: string, body?: object) =>
  request(server.url)[method](`/api/platform${path}`).set("Authorization", `Bearer ${serviceKey}`).set("Idempotency-Key", randomUUID()).send(body);

describe("a suspended platform user", () => {
  it("gets a readable 403 page from an /sso link, and no session", async () => {
    const link = await request(server.url).get(`/sso?token=${await platform.sign({ sub: "spammer", name: "Spam" })}&next=/inbox`).redirects(0);
    expect(link.status).toBe(403);
    expect(link.text).toContain("suspended");
    expect(link.headers["set-cookie"] ?? []).toEqual([]);
  });

  it("cannot be made an entrant or a winner by the platform", async () => {
    expect((await push("put", "/giveaways/sofa", { title: "Sofa", giverId: "giver-1" })).status).toBe(201);
    const entered = await push("put", "/giveaways/sofa/entrants/spammer");
    expect(entered.status, JSON.stringify(entered.body)).toBe(409);
    expect(entered.body.error.code).toBe("user_suspended");
    expect((await push("put", "/giveaways/sofa/entrants/honest")).status).toBe(201);
    expect((await push("post", "/giveaways/sofa/draw", { winnerId: "honest" })).status).toBe(200);
  });
});

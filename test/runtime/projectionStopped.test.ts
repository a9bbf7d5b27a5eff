// One stored event the read models cannot parse: the process keeps serving what it can, health tells
// liveness from readiness, writes that need the stopped read model are refused at once and clearly,
// and the operator command shows the event and resolves it.
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { giveawayStream } from "../../src/domain/streams.ts";
import { runCliCommand } from "../audit/auditFixtures.ts";
import { drawnGiveaway, expectError, send, signUp, type Conversation } from "../http/apiFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

describe("a projection stopped on an unparsable event", () => {
  let server: TestServer;
  let broken: Conversation;
  let healthy: Conversation;
  let badRevision: bigint;

  beforeAll(async () => {
    server = await startTestServer();
    broken = await drawnGiveaway(server);
    healthy = await drawnGiveaway(server);
    await send(server, broken.giver, broken.giveawayId, "before the bad event");
  });
  afterAll(async () => server?.close());

  it("is ready before", async () => {
    const ready = await request(server.url).get("/readyz");
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    expect(ready.body).toMatchObject({ status: "ready", store: { reachable: true } });
    expect(ready.body.projections.map((p: { name: string; state: string }) => `${p.name}:${p.state}`)).toEqual(
      expect.arrayContaining(["users:running", "giveaways:running", "conversation:running", "inbox:running"]),
    );
    expect(ready.body.projections.every((p: { state: string }) => p.state === "running")).toBe(true);
  });

  it("stops the giveaway read models on the event, names its stream and revision, and the process stays live", async () => {
    // Written past the domain, as an older or buggy writer could have: a MessageSent without its fields.
    const appended = await server.handoff.store.appendToStream(giveawayStream(broken.giveawayId), [
      { id: randomUUID(), type: "MessageSent", data: { note: "no fields" } },
    ]);
    badRevision = appended.nextExpectedRevision;
    const where = `${giveawayStream(broken.giveawayId)} revision ${badRevision}`;
    await expect
      .poll(async () => (await request(server.url).get("/readyz")).body.reasons?.join("\n") ?? "")
      .toContain(`projection conversation stopped at ${where}`);
    const ready = await request(server.url).get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe("not_ready");
    const states = Object.fromEntries(ready.body.projections.map((p: { name: string; state: string }) => [p.name, p.state]));
    expect(states).toMatchObject({ users: "running", giveaways: "stopped", conversation: "stopped", inbox: "stopped" });
    expect(ready.body.projections[1].failure).toMatchObject({ streamId: giveawayStream(broken.giveawayId), revision: String(badRevision), type: "MessageSent" });

    const live = await request(server.url).get("/healthz");
    expect(live.status).toBe(200);
  });

  it("keeps serving what it can, and refuses writes it could not show at once, saying why", async () => {
    await signUp(server, "later"); // the users read model still runs
    expect((await request(server.url).get(`/api/giveaways/${healthy.giveawayId}`).set(healthy.giver.auth)).status).toBe(200);
    const before = (await server.handoff.store.readStream(giveawayStream(healthy.giveawayId))).length;
    const refused = await request(server.url)
      .post(`/api/giveaways/${healthy.giveawayId}/messages`)
      .set(healthy.winner.auth)
      .send({ content: "while stopped" });
    expectError(refused, 503, "read_model_stopped");
    expect(refused.body.error.message).toContain("nothing was saved");
    expect((await server.handoff.store.readStream(giveawayStream(healthy.giveawayId))).length).toBe(before);
  });

  // Each command is a process of its own: slow on a busy machine.
  it("shows the event in `npm run projections -- status`, and `skip` resolves it without touching the log", { timeout: 180_000 }, async () => {
    const env = { DATA_DIR: server.dataDir };
    const status = await runCliCommand("projections", ["status"], env);
    expect(status.code, status.stderr).toBe(1);
    expect(status.stdout).toContain(`STOPPED projection giveaways stopped at ${giveawayStream(broken.giveawayId)} revision ${badRevision}`);
    expect(status.stdout).toContain("running users");

    const skipped = await runCliCommand("projections", ["skip", "--all"], env);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toContain(`skip conversation: passed over ${giveawayStream(broken.giveawayId)} revision ${badRevision}`);

    // The running server takes the projections up again by itself.
    await expect.poll(async () => (await request(server.url).get("/readyz")).status, { timeout: 30_000 }).toBe(200);
    const sent = await send(server, healthy.winner, healthy.giveawayId, "after the skip");
    expect(sent.content).toBe("after the skip");
    const shown = await request(server.url).get(`/api/giveaways/${broken.giveawayId}/messages`).set(broken.winner.auth);
    expect(shown.body.messages.map((m: { content: string }) => m.content)).toEqual(["before the bad event"]);

    const after = await runCliCommand("projections", ["status"], env);
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain(`skipped by an operator`);
    const stored = await server.handoff.store.readStream(giveawayStream(broken.giveawayId));
    expect(stored[Number(badRevision)]!.data).toEqual({ note: "no fields" });
  });

  it("refuses an unknown command or projection with usage and exit 2", { timeout: 120_000 }, async () => {
    const unknown = await runCliCommand("projections", ["frobnicate"], { DATA_DIR: server.dataDir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("usage: npm run projections");
    const noSuch = await runCliCommand("projections", ["retry", "nope"], { DATA_DIR: server.dataDir });
    expect(noSuch.code).toBe(2);
    expect(noSuch.stderr).toContain("no projection named nope");
  });
});

// Moderation over the API on a real server: only moderators (granted, or by a platform token's role)
// reach /api/moderation/*; the queue, opening a report's context (recorded; GETs record nothing),
// dismiss, hide, suspend and unsuspend, each refusal, and what a suspension does to the user's
// open stream, tokens (platform ones too) and sign-in.
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { platformUserId } from "../../src/domain/platformIds.ts";
import { startFakePlatform, type FakePlatform } from "../support/fakePlatform.ts";
import { connectSse, framesNamed } from "../support/sseClient.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, expectError, password, send, signUp, type SignedInUser } from "./apiFixtures.ts";

/** The server's clock: real time plus what a test moves it by (a suspension's end). */
let clockOffsetMs = 0;
const clock = () => new Date(Date.now() + clockOffsetMs);

let platform: FakePlatform;
let server: TestServer;
let moderator: SignedInUser;

beforeAll(async () => {
  platform = await startFakePlatform();
  server = await startTestServer({ env: platform.env, overrides: { now: clock } });
  moderator = await signUp(server, "mod");
  const granted = await server.handoff.moderation.setModerator(moderator.id, true, { actorId: "operator", correlationId: "t", causationId: "t" });
  expect(granted).toEqual({ ok: true, appended: 1 });
  await vi.waitFor(() => expect(server.handoff.queries.isModerator(moderator.id)).toBe(true));
});

afterAll(async () => {
  await server?.close();
  await platform?.close();
});

const api = () => request(server.url);
const queue = (as: { Authorization: string }) => api().get("/api/moderation/reports").set(as);
const act = (as: { Authorization: string }, body: object) => api().post("/api/moderation/actions").set(as).send(body);
const openReport = (as: { Authorization: string }, reportId: string) => api().post(`/api/moderation/reports/${reportId}/views`).set(as).send({});

async function reported() {
  const talk = await drawnGiveaway(server);
  const scam = await send(server, talk.winner, talk.giveawayId, "pay 5 EUR delivery fee first");
  const filed = await api().post(`/api/giveaways/${talk.giveawayId}/reports`).set(talk.giver.auth).send({ messageId: scam.id, reason: "scam", note: "asks for money" });
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  return { ...talk, scam, reportId: filed.body.id as string };
}

async function storedTypes(giveawayId: string): Promise<string[]> {
  return (await server.handoff.store.readStream(`giveaway-${giveawayId}`)).map((event) => event.type);
}

describe("who reaches /api/moderation", () => {
  it("refuses everyone but moderators: 401 without a token, 403 not_moderator for a participant or a stranger", async () => {
    const { giver, outsider, reportId } = await reported();
    expectError(await api().get("/api/moderation/reports"), 401, "unauthenticated");
    for (const who of [giver, outsider]) {
      expectError(await queue(who.auth), 403, "not_moderator");
      expectError(await openReport(who.auth, reportId), 403, "not_moderator");
      expectError(await act(who.auth, { action: "dismiss", reportId, reason: "x" }), 403, "not_moderator");
    }
  });

  it("lets in a platform user whose token carries the moderator role, and not once it no longer does", async () => {
    const token = await platform.sign({ sub: "plat-mod", name: "Platform Mod", roles: ["moderator"] });
    const asModerator = { Authorization: `Bearer ${token}` };
    await vi.waitFor(async () => expect((await queue(asModerator)).status).toBe(200));
    const without = { Authorization: `Bearer ${await platform.sign({ sub: "plat-mod", name: "Platform Mod", roles: [] })}` };
    await vi.waitFor(async () => expectError(await queue(without), 403, "not_moderator"));
  });
});

describe("the queue and a report's context", () => {
  it("lists open reports newest first with names, reason, note and where; opening one records the look and replays the conversation as reported", async () => {
    const first = await reported();
    const second = await reported();
    const listed = await queue(moderator.auth);
    expect(listed.status).toBe(200);
    const ids = (listed.body.reports as { id: string }[]).map((report) => report.id);
    expect(ids.indexOf(second.reportId)).toBeLessThan(ids.indexOf(first.reportId));
    expect(listed.body.reports).toContainEqual({
      id: first.reportId, giveawayId: first.giveawayId, giveawayTitle: "A sofa",
      reportedUser: { id: first.winner.id, name: first.winner.username }, reporter: { id: first.giver.id, name: first.giver.username },
      reason: "scam", note: "asks for money", messageId: first.scam.id, atRevision: first.scam.revision, filedAt: expect.any(String),
    });
    // A GET records nothing.
    expect(await storedTypes(first.giveawayId)).not.toContain("ConversationViewedByModerator");

    await send(server, first.winner, first.giveawayId, "sent after the report");
    const opened = await openReport(moderator.auth, first.reportId);
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body.report.id).toBe(first.reportId);
    expect(opened.body.messages.map((message: { content: string }) => message.content)).toEqual(["pay 5 EUR delivery fee first"]);
    const viewed = (await server.handoff.store.readStream(`giveaway-${first.giveawayId}`)).filter((event) => event.type === "ConversationViewedByModerator");
    expect(viewed.map((event) => event.data)).toEqual([{ moderatorId: moderator.id, reportId: first.reportId, viewedAt: expect.any(String) }]);
    expectError(await openReport(moderator.auth, randomUUID()), 404, "report_not_found");
    expectError(await openReport(moderator.auth, "not-an-id"), 404, "report_not_found");
  });
});

describe("POST /api/moderation/actions", () => {
  it("dismisses a report: it leaves the queue; a second dismissal is 409, an unknown report 404", async () => {
    const { reportId, giveawayId } = await reported();
    const done = await act(moderator.auth, { action: "dismiss", reportId, reason: "a joke between friends" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ action: "dismiss", giveawayId });
    expect((await queue(moderator.auth)).body.reports.map((report: { id: string }) => report.id)).not.toContain(reportId);
    expectError(await act(moderator.auth, { action: "dismiss", reportId, reason: "again" }), 409, "report_not_open");
    expectError(await act(moderator.auth, { action: "dismiss", reportId: randomUUID(), reason: "x" }), 404, "report_not_found");
  });

  it("hides a message: both participants get it as removed by a moderator, content null; the log keeps the original and the audit shows who and why", async () => {
    const { giveawayId, giver, winner, scam, reportId } = await reported();
    const done = await act(moderator.auth, { action: "hide", reportId, reason: "asks for money" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    for (const reader of [giver, winner]) {
      const listed = await api().get(`/api/giveaways/${giveawayId}/messages?after=-1`).set(reader.auth);
      const hidden = (listed.body.messages as { id: string }[]).find((message) => message.id === scam.id);
      expect(hidden).toMatchObject({ id: scam.id, content: null, hiddenByModerator: true });
    }
    const stored = await server.handoff.store.readStream(`giveaway-${giveawayId}`);
    expect(stored.find((event) => event.type === "MessageSent")?.data).toMatchObject({ content: "pay 5 EUR delivery fee first" });
    expect(stored.find((event) => event.type === "MessageHidden")?.data).toEqual({ messageId: scam.id, moderatorId: moderator.id, reason: "asks for money", hiddenAt: expect.any(String) });
    const audit = await api().get(`/api/giveaways/${giveawayId}/events`).set(giver.auth);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain("MessageHidden");
    expect(JSON.stringify(audit.body)).toContain("ReportFiled");
    // By giveaway and message, without a report; unknown messages and giveaways are 404.
    const other = await send(server, winner, giveawayId, "another one");
    expect((await act(moderator.auth, { action: "hide", giveawayId, messageId: other.id, reason: "spam" })).status).toBe(200);
    expectError(await act(moderator.auth, { action: "hide", giveawayId, messageId: randomUUID(), reason: "spam" }), 404, "message_not_found");
    expectError(await act(moderator.auth, { action: "hide", giveawayId: randomUUID(), messageId: other.id, reason: "spam" }), 404, "message_not_found");
  });

  it("refuses bad input with 422: no reason, a long reason, an unknown action, a bad id, nothing to act on, an until in the past", async () => {
    const { reportId, winner } = await reported();
    expectError(await act(moderator.auth, { action: "dismiss", reportId }), 422, "invalid_field");
    expectError(await act(moderator.auth, { action: "dismiss", reportId, reason: "x".repeat(501) }), 422, "invalid_field");
    expectError(await act(moderator.auth, { action: "ban", reportId, reason: "x" }), 422, "invalid_field");
    expectError(await act(moderator.auth, { action: "suspend", userId: "Nope", reason: "x" }), 422, "invalid_field");
    expectError(await act(moderator.auth, { action: "hide", reason: "x" }), 422, "invalid_moderation");
    expectError(await act(moderator.auth, { action: "suspend", reason: "x" }), 422, "invalid_moderation");
    expectError(await act(moderator.auth, { action: "suspend", userId: winner.id, reason: "x", until: "2000-01-01T00:00:00Z" }), 422, "invalid_moderation");
    expectError(await act(moderator.auth, { action: "suspend", userId: randomUUID(), reason: "x" }), 404, "user_not_found");
    expectError(await act(moderator.auth, { action: "unsuspend", userId: winner.id, reason: "x" }), 409, "not_suspended");
  });
});

describe("a suspension", () => {
  it("ends the user's open stream at once, refuses their tokens (403 suspended) and their sign-in; lifting it lets them sign in again", async () => {
    const { giveawayId, winner, reportId } = await reported();
    const stream = await connectSse(`${server.url}/api/giveaways/${giveawayId}/stream`, winner.auth);
    expect(stream.status).toBe(200);
    const done = await act(moderator.auth, { action: "suspend", reportId, reason: "scam attempts" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toEqual({ action: "suspend", userId: winner.id });
    await stream.ended;
    expect(framesNamed(stream.events, "expired")).toHaveLength(1);

    expectError(await api().get("/api/me").set(winner.auth), 403, "suspended");
    expectError(await api().post(`/api/giveaways/${giveawayId}/messages`).set(winner.auth).send({ content: "hello?" }), 403, "suspended");
    expectError(await api().post("/api/tokens").send({ username: winner.username, password }), 403, "suspended");
    const types = (await server.handoff.store.readStream(`user-${winner.id}`)).map((event) => event.type);
    expect(types.slice(-2)).toEqual(["UserSuspended", "AllSessionsEnded"]);

    const lifted = await act(moderator.auth, { action: "unsuspend", userId: winner.id, reason: "appeal accepted" });
    expect(lifted.status, JSON.stringify(lifted.body)).toBe(200);
    // The sessions it ended stay ended; a new sign-in works.
    expectError(await api().get("/api/me").set(winner.auth), 401, "invalid_token");
    expect((await api().post("/api/tokens").send({ username: winner.username, password })).status).toBe(201);
  });

  it("refuses a suspended platform user's platform tokens, new ones too", async () => {
    const sub = `plat-${randomUUID().slice(0, 8)}`;
    const token = await platform.sign({ sub, name: "Platform Scammer" });
    expect((await api().get("/api/me").set("Authorization", `Bearer ${token}`)).status).toBe(200);
    const done = await act(moderator.auth, { action: "suspend", userId: platformUserId(sub), reason: "scam" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expectError(await api().get("/api/me").set("Authorization", `Bearer ${token}`), 403, "suspended");
    const fresh = await platform.sign({ sub, name: "Platform Scammer" });
    expectError(await api().get("/api/me").set("Authorization", `Bearer ${fresh}`), 403, "suspended");
  });

  it("ends by itself at its until", async () => {
    const user = await signUp(server, "brief");
    const until = new Date(clock().getTime() + 60 * 60_000).toISOString();
    expect((await act(moderator.auth, { action: "suspend", userId: user.id, reason: "cool down", until })).status).toBe(200);
    expectError(await api().post("/api/tokens").send({ username: user.username, password }), 403, "suspended");
    clockOffsetMs += 61 * 60_000;
    try {
      expect((await api().post("/api/tokens").send({ username: user.username, password })).status).toBe(201);
    } finally {
      clockOffsetMs -= 61 * 60_000;
    }
  });
});

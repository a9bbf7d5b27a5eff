// The moderation pages without script: /moderation is a moderator's (a 403 page for others), lists
// the queue; "Open" posts and shows the context; the action forms post and come back (303); a
// suspended user's page session ends with a readable 403, and the sign-in form refuses them.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { pageUser, sessionCookieOf, type PageUser } from "../pages/pageSession.ts";
import { drawnGiveaway, password, send, signUp, type SignedInUser } from "./apiFixtures.ts";

let server: TestServer;
let moderator: PageUser;
let moderatorAccount: SignedInUser;

async function pageSignIn(user: { username: string }): Promise<PageUser> {
  const answer = await request(server.url).post("/signin").set("Origin", server.url).type("form").send({ username: user.username, password });
  expect(answer.status).toBe(303);
  return pageUser(server, user.username, sessionCookieOf(answer));
}

beforeAll(async () => {
  server = await startTestServer();
  moderatorAccount = await signUp(server, "pmod");
  await server.handoff.moderation.setModerator(moderatorAccount.id, true, { actorId: "operator", correlationId: "t", causationId: "t" });
  await vi.waitFor(() => expect(server.handoff.queries.isModerator(moderatorAccount.id)).toBe(true));
  moderator = await pageSignIn(moderatorAccount);
});
afterAll(() => server?.close());

describe("/moderation", () => {
  it("is a 403 page for anyone but a moderator, and the forms are refused to them too", async () => {
    const someone = await pageSignIn(await signUp(server, "plain"));
    const page = await someone.get("/moderation");
    expect(page.status).toBe(403);
    expect(page.text).toContain("Moderators only");
    expect((await someone.post("/moderation/actions", { action: "dismiss", reason: "x" })).status).toBe(403);
  });

  it("lists the queue; Open shows the reported conversation; dismiss, hide and suspend post and come back", async () => {
    const { giveawayId, giver, winner } = await drawnGiveaway(server);
    const scam = await send(server, winner, giveawayId, "pay 5 EUR delivery fee first");
    const filed = await request(server.url).post(`/api/giveaways/${giveawayId}/reports`).set(giver.auth).send({ messageId: scam.id, reason: "scam" });
    const reportId = filed.body.id as string;
    const winnerPage = await pageSignIn(winner);

    const queue = await moderator.get("/moderation");
    expect(queue.status).toBe(200);
    expect(queue.text).toContain(`action="/moderation/reports/${reportId}/views"`);
    expect(queue.text).toContain(winner.username);

    const context = await moderator.post(`/moderation/reports/${reportId}/views`);
    expect(context.status).toBe(200);
    expect(context.text).toContain("pay 5 EUR delivery fee first");
    expect(context.text).toContain("Hide this message");

    const hidden = await moderator.post("/moderation/actions", { action: "hide", reportId, messageId: scam.id, reason: "asks for money" });
    expect(hidden.status).toBe(303);
    const chat = await winnerPage.get(`/messages/${giveawayId}`);
    expect(chat.text).toContain("removed by a moderator");
    expect(chat.text).not.toContain("pay 5 EUR delivery fee first");

    expect((await moderator.post("/moderation/actions", { action: "suspend", reportId, reason: "scam", until: "" })).status).toBe(303);
    const refused = await winnerPage.get(`/messages/${giveawayId}`);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("Account suspended");
    const signIn = await request(server.url).post("/signin").set("Origin", server.url).type("form").send({ username: winner.username, password });
    expect(signIn.status).toBe(403);
    expect(signIn.text).toContain("suspended by a moderator");

    expect((await moderator.post("/moderation/actions", { action: "dismiss", reportId, reason: "handled" })).status).toBe(303);
    expect((await moderator.get("/moderation")).text).not.toContain(reportId);
    // A form without a reason is a readable refusal, not a 5xx.
    expect((await moderator.post("/moderation/actions", { action: "dismiss", reportId, reason: "" })).status).toBe(422);
  });
});

// Ratings over HTTP: PUT /api/giveaways/:id/rating (201, then 200 for an edit), each refusal, the
// profile (API and page), the giver's view of entrants' ratings, and the chat page's form.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { createGiveaway, drawnGiveaway, expectError, signUp, type Conversation, type SignedInUser } from "./apiFixtures.ts";
import { hour, movableClock } from "./pickupFixtures.ts";
import { pageUser } from "../pages/pageSession.ts";

let server: TestServer;
const clock = movableClock();
const day = 24 * hour;

beforeAll(async () => {
  server = await startTestServer({ overrides: { now: clock.now } });
});
afterAll(() => server.close());

const api = () => request(server.url);
const rate = (giveawayId: string, user: SignedInUser, body: unknown) => api().put(`/api/giveaways/${giveawayId}/rating`).set(user.auth).send(body as object);
const asPage = (user: SignedInUser) => pageUser(server, user.username, `handoff_session=${user.token}`);

/** Drawn, a pickup agreed, and both sides confirmed the handover: completed now. */
async function completedGiveaway(): Promise<Conversation> {
  const chat = await drawnGiveaway(server);
  const base = `/api/giveaways/${chat.giveawayId}`;
  const proposal = await api().post(`${base}/pickup/proposals`).set(chat.giver.auth).send({ from: clock.inHours(1), to: clock.inHours(2), place: "the gate" });
  expect(proposal.status).toBe(201);
  expect((await api().post(`${base}/pickup/proposals/${proposal.body.proposalId}/accept`).set(chat.winner.auth)).status).toBe(200);
  expect((await api().post(`${base}/handover`).set(chat.giver.auth)).status).toBe(200);
  const done = await api().post(`${base}/handover`).set(chat.winner.auth);
  expect(done.body.status).toBe("completed");
  return chat;
}

describe("PUT /api/giveaways/:id/rating", () => {
  it("is refused before the handover (409 not_completed), and to anyone but the giver and the winner (403)", async () => {
    const chat = await drawnGiveaway(server);
    expectError(await rate(chat.giveawayId, chat.giver, { stars: 5 }), 409, "not_completed");
    expectError(await rate(chat.giveawayId, chat.outsider, { stars: 5 }), 403, "not_participant");
    expectError(await rate("00000000-0000-4000-8000-000000000000", chat.giver, { stars: 5 }), 404, "giveaway_not_found");
  });

  it("after the handover each side rates the other: 201, then 200 for an edit or the same rating again", async () => {
    const chat = await completedGiveaway();
    const first = await rate(chat.giveawayId, chat.giver, { stars: 3, comment: "  Came late  " });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ giveawayId: chat.giveawayId, raterId: chat.giver.id, rateeId: chat.winner.id, stars: 3, comment: "Came late", ratedAt: expect.any(String) });
    const edited = await rate(chat.giveawayId, chat.giver, { stars: 4, comment: "Came late, but called ahead" });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ stars: 4, comment: "Came late, but called ahead" });
    expect((await rate(chat.giveawayId, chat.giver, { stars: 4, comment: "Came late, but called ahead" })).status).toBe(200);
    expect((await rate(chat.giveawayId, chat.winner, { stars: 5 })).status).toBe(201);

    const stored = (await server.handoff.store.readAll()).filter((event) => event.type === "HandoverRated" && event.streamId === `giveaway-${chat.giveawayId}`);
    expect(stored).toHaveLength(3); // the same rating again stored nothing
  });

  it("refuses out-of-range stars, a long comment and a body of the wrong shape", async () => {
    const chat = await completedGiveaway();
    for (const stars of [0, 6, 2.5]) expectError(await rate(chat.giveawayId, chat.giver, { stars }), 422, "invalid_stars");
    expectError(await rate(chat.giveawayId, chat.giver, { stars: 5, comment: "x".repeat(501) }), 422, "invalid_comment");
    expectError(await rate(chat.giveawayId, chat.giver, { stars: "5" }), 422, "invalid_field");
    expectError(await rate(chat.giveawayId, chat.giver, {}), 422, "invalid_field");
  });

  it("can be given and changed for 7 days after completion, then 409 rating_closed", async () => {
    const chat = await completedGiveaway();
    expect((await rate(chat.giveawayId, chat.giver, { stars: 5 })).status).toBe(201);
    clock.advance(7 * day - hour);
    expect((await rate(chat.giveawayId, chat.giver, { stars: 4 })).status).toBe(200);
    clock.advance(2 * hour);
    expectError(await rate(chat.giveawayId, chat.giver, { stars: 3 }), 409, "rating_closed");
    expectError(await rate(chat.giveawayId, chat.winner, { stars: 3 }), 409, "rating_closed");
  });

  it("is refused between two people of whom one blocked the other, either way round", async () => {
    const chat = await completedGiveaway();
    expect((await api().put(`/api/me/blocks/${chat.giver.id}`).set(chat.winner.auth)).status).toBeLessThan(300);
    expectError(await rate(chat.giveawayId, chat.giver, { stars: 1 }), 403, "blocked");
    expectError(await rate(chat.giveawayId, chat.winner, { stars: 1 }), 403, "blocked");
  });
});

describe("profiles and the giver's view", () => {
  it("GET /api/users/:id and /users/:id show the name, the count, the average and the latest comments", async () => {
    const first = await completedGiveaway();
    expect((await rate(first.giveawayId, first.giver, { stars: 5, comment: "Lovely <b>person</b>" })).status).toBe(201);
    // A second giveaway the same winner wins from another giver.
    const second = await completedGiveawayWithWinner(first.winner);
    expect((await rate(second.giveawayId, second.giver, { stars: 2 })).status).toBe(201);

    const profile = await api().get(`/api/users/${first.winner.id}`).set(first.outsider.auth);
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({
      id: first.winner.id,
      username: first.winner.username,
      platformId: null,
      picture: null,
      ratings: {
        count: 2,
        average: 3.5,
        latestComments: [{ giveawayId: first.giveawayId, giveawayTitle: "A sofa", raterId: first.giver.id, raterName: first.giver.username, stars: 5, comment: "Lovely <b>person</b>", ratedAt: expect.any(String) }],
      },
    });
    const page = await asPage(first.outsider).get(`/users/${first.winner.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(first.winner.username);
    expect(page.text).toContain("3.5");
    expect(page.text).toContain("(2 ratings)");
    expect(page.text).toContain("Lovely &lt;b&gt;person&lt;/b&gt;");

    expectError(await api().get("/api/users/00000000-0000-4000-8000-000000000000").set(first.outsider.auth), 404, "user_not_found");
    expectError(await api().get("/api/users/not-an-id").set(first.outsider.auth), 404, "user_not_found");
    expect((await asPage(first.outsider).get("/users/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expectError(await api().get(`/api/users/${first.winner.id}`), 401, "unauthenticated");
  });

  it("the giver's giveaway page lists the entrants with their ratings; an entrant's page does not", async () => {
    const earlier = await completedGiveaway();
    expect((await rate(earlier.giveawayId, earlier.giver, { stars: 4 })).status).toBe(201);
    const giver = await signUp(server, "giver");
    const giveawayId = await createGiveaway(server, giver, "A lamp");
    expect((await api().post(`/api/giveaways/${giveawayId}/entries`).set(earlier.winner.auth)).status).toBe(201);
    expect((await api().post(`/api/giveaways/${giveawayId}/entries`).set(earlier.outsider.auth)).status).toBe(201);

    const giversPage = await asPage(giver).get(`/giveaways/${giveawayId}`);
    expect(giversPage.text).toContain('id="entrant-ratings"');
    expect(giversPage.text).toMatch(new RegExp(`data-user-id="${earlier.winner.id}"[\\s\\S]*?4\\.0 <span class="rating-count">\\(1 rating\\)`));
    expect(giversPage.text).toMatch(new RegExp(`data-user-id="${earlier.outsider.id}"[\\s\\S]*?no ratings yet`));
    const entrantsPage = await asPage(earlier.winner).get(`/giveaways/${giveawayId}`);
    expect(entrantsPage.text).not.toContain('id="entrant-ratings"');
  });
});

describe("the chat page's rating form", () => {
  it("appears once completed, works as a plain form (303 back), shows the rating given, and refuses politely", async () => {
    const chat = await drawnGiveaway(server);
    const before = await asPage(chat.giver).get(`/messages/${chat.giveawayId}`);
    expect(before.text).not.toContain('id="rating"');
    expect((await asPage(chat.giver).post(`/messages/${chat.giveawayId}/rating`, { stars: "5" })).status).toBe(409);

    const done = await completedGiveawayFrom(chat);
    const page = await asPage(done.giver).get(`/messages/${done.giveawayId}`);
    expect(page.text).toContain('id="rating"');
    expect(page.text).toContain(`<details class="rating-panel" id="rating" open>`);
    expect(page.text).toContain(`Rate ${done.winner.username}`);
    expect(page.text).toContain(`id="rating-profile-link" href="/users/${done.winner.id}"`);
    expect(page.text.match(/type="radio" name="stars"/g)).toHaveLength(5);

    const posted = await asPage(done.giver).post(`/messages/${done.giveawayId}/rating`, { stars: "4", comment: "Friendly" });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toMatch(new RegExp(`^/messages/${done.giveawayId}\\?minRevision=\\d+#rating$`));
    const after = await asPage(done.giver).get(posted.headers.location!);
    expect(after.text).toMatch(/value="4" required checked/);
    expect(after.text).toContain(">Friendly</textarea>");
    expect(after.text).toContain("Update your rating");
    // Given: folded to one line that says so (still a click away from changing it).
    expect(after.text).toContain(`<details class="rating-panel" id="rating">`);
    expect(after.text).toContain("you gave ★★★★</span>");

    const missing = await asPage(done.giver).post(`/messages/${done.giveawayId}/rating`, { comment: "no stars" });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain("Stars must be a whole number from 1 to 5.");
    expect((await asPage(done.outsider).post(`/messages/${done.giveawayId}/rating`, { stars: "1" })).status).toBe(403);
  });
});

async function completedGiveawayFrom(chat: Conversation): Promise<Conversation> {
  const base = `/api/giveaways/${chat.giveawayId}`;
  const proposal = await api().post(`${base}/pickup/proposals`).set(chat.winner.auth).send({ from: clock.inHours(1), to: clock.inHours(2), place: "the gate" });
  expect((await api().post(`${base}/pickup/proposals/${proposal.body.proposalId}/accept`).set(chat.giver.auth)).status).toBe(200);
  await api().post(`${base}/handover`).set(chat.giver.auth);
  expect((await api().post(`${base}/handover`).set(chat.winner.auth)).body.status).toBe("completed");
  return chat;
}

async function completedGiveawayWithWinner(winner: SignedInUser): Promise<Conversation> {
  const giver = await signUp(server, "giver");
  const giveawayId = await createGiveaway(server, giver, "A chair");
  expect((await api().post(`/api/giveaways/${giveawayId}/entries`).set(winner.auth)).status).toBe(201);
  expect((await api().post(`/api/giveaways/${giveawayId}/draw`).set(giver.auth)).status).toBe(200);
  return completedGiveawayFrom({ giveawayId, giver, winner, outsider: giver });
}

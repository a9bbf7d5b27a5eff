// The pickup over HTTP: propose, counter, accept, calendar file, handover, last words; each route's refusals.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { expectError, send } from "./apiFixtures.ts";
import { drawnAmong, hour, movableClock } from "./pickupFixtures.ts";

const clock = movableClock();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ overrides: { now: clock.now, pick: () => 0 }, env: { PICKUP_LAST_WORDS_SECONDS: String(2 * 3600) } });
});
afterAll(() => server.close());

const api = () => request(server.url);

describe("a whole pickup over the API", () => {
  it("propose, counter-propose, accept, calendar file, handed over, received, last words, read-only", async () => {
    const { giveawayId, giver, entrants, outsider } = await drawnAmong(server, 1);
    const winner = entrants[0]!;
    const base = `/api/giveaways/${giveawayId}`;
    const first = { from: clock.inHours(24), to: clock.inHours(26), place: "Main St 1, Springfield", note: "Ring twice; bring straps", id: "5b0e7f1c-0000-4000-8000-000000000001" };
    const proposed = await api().post(`${base}/pickup/proposals`).set(giver.auth).send(first);
    expect(proposed.status).toBe(201);
    expect(proposed.headers.location).toBe(`${base}/pickup/proposals/${first.id}`);
    expect(proposed.body).toMatchObject({ proposalId: first.id, proposedBy: giver.id, place: first.place, note: first.note, status: "open" });
    expect((await api().post(`${base}/pickup/proposals`).set(giver.auth).send(first)).status).toBe(200); // a retry

    const counter = await api().post(`${base}/pickup/proposals`).set(winner.auth).send({ from: clock.inHours(48), to: clock.inHours(49), place: "Main St 1, Springfield" });
    expect(counter.status).toBe(201);
    expectError(await api().post(`${base}/pickup/proposals/${first.id}/accept`).set(winner.auth), 409, "proposal_not_open");
    expectError(await api().post(`${base}/pickup/proposals/${counter.body.proposalId}/accept`).set(winner.auth), 403, "wrong_participant");
    expectError(await api().get(`${base}/pickup.ics`).set(giver.auth), 409, "pickup_not_agreed");

    const accepted = await api().post(`${base}/pickup/proposals/${counter.body.proposalId}/accept`).set(giver.auth);
    expect(accepted.status).toBe(200);
    expect(accepted.body.proposal.status).toBe("accepted");
    expect(accepted.body.giveaway).toMatchObject({ status: "pickup_agreed", pickup: { proposalId: counter.body.proposalId, place: "Main St 1, Springfield" } });
    const shown = await api().get(base).set(winner.auth);
    expect(shown.body).toMatchObject({ status: "pickup_agreed", pickup: { from: counter.body.from, to: counter.body.to, agreedAt: expect.any(String) } });
    expect((await api().get(base).set(outsider.auth)).body).toMatchObject({ status: "pickup_agreed", pickup: null });
    const listed = await api().get(`${base}/pickup/proposals`).set(winner.auth);
    expect(listed.body.proposals.map((p: { status: string }) => p.status)).toEqual(["superseded", "accepted"]);

    const ics = await api().get(`${base}/pickup.ics`).set(winner.auth);
    expect(ics.status).toBe(200);
    expect(ics.headers["content-type"]).toMatch(/^text\/calendar/);
    expect(ics.headers["content-disposition"]).toContain(".ics");
    const text = ics.text;
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain(`DTSTART:${counter.body.from.replace(/[-:]/g, "").replace(/\.\d{3}/, "")}\r\n`);
    expect(text).toContain("LOCATION:Main St 1\\, Springfield\r\n");
    expect(text).toContain(`Pickup with ${giver.username}`);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expectError(await api().get(`${base}/pickup.ics`).set(outsider.auth), 403, "not_participant");
    expectError(await api().get(`${base}/pickup.ics`), 401, "unauthenticated");

    const handedOver = await api().post(`${base}/handover`).set(giver.auth);
    expect(handedOver.status).toBe(200);
    expect(handedOver.body).toMatchObject({ status: "pickup_agreed", handover: { handedOverAt: expect.any(String), receivedAt: null } });
    expect((await api().post(`${base}/handover`).set(giver.auth)).status).toBe(200); // a retry
    const received = await api().post(`${base}/handover`).set(winner.auth);
    expect(received.body).toMatchObject({ status: "completed", completedAt: expect.any(String), readOnlyFrom: expect.any(String) });

    await send(server, winner, giveawayId, "Thank you!");
    clock.advance(2 * hour + 1000);
    const late = await api().post(`${base}/messages`).set(winner.auth).send({ content: "one more" });
    expectError(late, 409, "conversation_read_only");
    const history = await api().get(`${base}/messages`).set(winner.auth);
    expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(["Thank you!"]);
    expectError(await api().post(`${base}/cancel`).set(giver.auth), 409, "giveaway_completed");
  });
});

describe("pickup refusals", () => {
  it("checks the proposal's shape (422), its sense (422), and who sends it (401/403/409)", async () => {
    const { giveawayId, giver, outsider } = await drawnAmong(server, 1);
    const url = `/api/giveaways/${giveawayId}/pickup/proposals`;
    const good = { from: clock.inHours(1), to: clock.inHours(2), place: "Park" };
    expectError(await api().post(url).set(giver.auth).send({ ...good, from: "tomorrow" }), 422, "invalid_field");
    expectError(await api().post(url).set(giver.auth).send({ ...good, from: "2026-05-01T10:00:00" }), 422, "invalid_field");
    expectError(await api().post(url).set(giver.auth).send({ ...good, place: 7 }), 422, "invalid_field");
    expectError(await api().post(url).set(giver.auth).send({ ...good, from: good.to, to: good.from }), 422, "invalid_pickup");
    expectError(await api().post(url).set(giver.auth).send({ ...good, place: "  " }), 422, "invalid_pickup");
    expectError(await api().post(url).set(giver.auth).send({ from: clock.inHours(-3), to: clock.inHours(-2), place: "Park" }), 422, "invalid_pickup");
    expectError(await api().post(url).set(giver.auth).set("Content-Type", "application/json").send("{"), 400, "bad_json");
    expectError(await api().post(url).set(outsider.auth).send(good), 403, "not_participant");
    expectError(await api().post(url).send(good), 401, "unauthenticated");
    expectError(await api().post("/api/giveaways/not-a-uuid/pickup/proposals").set(giver.auth).send(good), 404, "giveaway_not_found");
  });

  it("answers: 404 for an unknown proposal, 403 for the proposer or an outsider, 409 before a draw", async () => {
    const { giveawayId, giver, entrants, outsider } = await drawnAmong(server, 1);
    const base = `/api/giveaways/${giveawayId}/pickup/proposals`;
    expectError(await api().post(`${base}/0f8fad5b-d9cb-469f-a165-70867728950e/accept`).set(giver.auth), 404, "proposal_not_found");
    expectError(await api().post(`${base}/nonsense/decline`).set(giver.auth), 404, "proposal_not_found");
    const proposed = await api().post(base).set(giver.auth).send({ from: clock.inHours(1), to: clock.inHours(2), place: "Park" });
    expectError(await api().post(`${base}/${proposed.body.proposalId}/decline`).set(giver.auth), 403, "wrong_participant");
    expectError(await api().post(`${base}/${proposed.body.proposalId}/accept`).set(outsider.auth), 403, "not_participant");
    const declined = await api().post(`${base}/${proposed.body.proposalId}/decline`).set(entrants[0]!.auth);
    expect(declined.status).toBe(200);
    expect(declined.body.proposal.status).toBe("declined");
    expect(declined.body.giveaway.status).toBe("drawn");
    const fresh = await api().post("/api/giveaways").set(giver.auth).send({ title: "Lamp" });
    expectError(await api().post(`/api/giveaways/${fresh.body.id}/pickup/proposals`).set(giver.auth).send({ from: clock.inHours(1), to: clock.inHours(2), place: "x" }), 409, "conversation_closed");
  });

  it("handover needs a plan (409); declining the prize is the winner's (403 for the giver); cancel is the giver's", async () => {
    const { giveawayId, giver, entrants, outsider } = await drawnAmong(server, 1);
    const base = `/api/giveaways/${giveawayId}`;
    expectError(await api().post(`${base}/handover`).set(giver.auth), 409, "pickup_not_agreed");
    expectError(await api().post(`${base}/handover`).set(outsider.auth), 403, "not_participant");
    expectError(await api().post(`${base}/decline`).set(giver.auth), 403, "wrong_participant");
    expectError(await api().post(`${base}/cancel`).set(entrants[0]!.auth).send({ reason: "no" }), 403, "not_giver");
    expectError(await api().post(`${base}/cancel`).set(giver.auth).send({ reason: 5 }), 422, "invalid_field");
    const cancelled = await api().post(`${base}/cancel`).set(giver.auth).send({ reason: "It broke" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "cancelled", cancelReason: "It broke", cancelledAt: expect.any(String) });
    expectError(await api().post(`${base}/cancel`).set(giver.auth), 409, "giveaway_cancelled");
    expectError(await api().post(`${base}/decline`).set(entrants[0]!.auth), 409, "giveaway_cancelled");
    // The winner still gets a last word in.
    await send(server, entrants[0]!, giveawayId, "Sorry to hear");
  });

  it("cancels an open giveaway: no more entries or draw", async () => {
    const { giveawayId, giver, entrants } = await drawnAmong(server, 1);
    void giveawayId;
    const fresh = await api().post("/api/giveaways").set(giver.auth).send({ title: "Chair" });
    const url = `/api/giveaways/${fresh.body.id}`;
    expect((await api().post(`${url}/cancel`).set(giver.auth)).body.status).toBe("cancelled");
    expectError(await api().post(`${url}/entries`).set(entrants[0]!.auth), 409, "giveaway_cancelled");
    expectError(await api().post(`${url}/draw`).set(giver.auth), 409, "giveaway_cancelled");
  });
});

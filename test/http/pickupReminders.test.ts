// Reminders before an agreed pickup: recorded once as an event, armed again after a restart.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnAmong, movableClock } from "./pickupFixtures.ts";

const clock = movableClock();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ overrides: { now: clock.now, pick: () => 0 }, env: { PICKUP_REMINDER_LEAD_SECONDS: "3600" } });
});
afterAll(() => server.close());

const reminders = async (giveawayId: string, auth: { Authorization: string }) => {
  const events = await request(server.url).get(`/api/giveaways/${giveawayId}/events`).set(auth);
  expect(events.status).toBe(200);
  return (events.body.events as { type: string }[]).filter((event) => event.type === "PickupReminderSent").length;
};

describe("pickup reminders", () => {
  it("a plan starting within the lead time is reminded once, as a PickupReminderSent event", async () => {
    const { giveawayId, giver, entrants } = await drawnAmong(server, 1);
    const base = `/api/giveaways/${giveawayId}/pickup/proposals`;
    const proposed = await request(server.url).post(base).set(giver.auth).send({ from: clock.inHours(0.5), to: clock.inHours(1), place: "Park" });
    expect(proposed.status).toBe(201);
    const accepted = await request(server.url).post(`${base}/${proposed.body.proposalId}/accept`).set(entrants[0]!.auth);
    expect(accepted.status).toBe(200);
    await expect.poll(() => reminders(giveawayId, giver.auth), { timeout: 20_000 }).toBe(1);
  });
});

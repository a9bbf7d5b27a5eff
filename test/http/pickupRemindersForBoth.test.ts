// A plan closer than the lead time reminds both people at once: the giver as much as the winner, on
// their notification streams (the API's and the pages'), and their pages still say so after a reload.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectSse, framesNamed, type SseConnection } from "../support/sseClient.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import type { SignedInUser } from "./apiFixtures.ts";
import { drawnAmong, movableClock } from "./pickupFixtures.ts";

const clock = movableClock();
let server: TestServer;
const open: SseConnection[] = [];
beforeAll(async () => {
  server = await startTestServer({ overrides: { now: clock.now, pick: () => 0 }, env: { PICKUP_REMINDER_LEAD_SECONDS: "3600" } });
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await server.close();
});

const cookie = (who: SignedInUser) => ({ Cookie: `handoff_session=${who.token}` });
const page = (who: SignedInUser, path: string) => request(server.url).get(path).set(cookie(who));
async function stream(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const connection = await connectSse(url, headers);
  open.push(connection);
  expect(connection.status).toBe(200);
  return connection;
}

describe("pickup reminders for both", () => {
  it("a plan 40 minutes away is reminded to both at once, live and after a reload", async () => {
    const { giveawayId, giver, entrants } = await drawnAmong(server, 1);
    const winner = entrants[0]!;
    const people = [giver, winner];
    const apiStreams = await Promise.all(people.map((who) => stream(`${server.url}/api/me/stream`, who.auth)));
    const pageStreams = await Promise.all(people.map((who) => stream(`${server.url}/me/stream`, cookie(who))));

    const base = `/api/giveaways/${giveawayId}/pickup/proposals`;
    const proposed = await request(server.url).post(base).set(giver.auth).send({ from: clock.inHours(40 / 60), to: clock.inHours(2), place: "Elm Street 5" });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    expect((await request(server.url).post(`${base}/${proposed.body.proposalId}/accept`).set(winner.auth)).status).toBe(200);

    for (const notifications of apiStreams) {
      await expect.poll(() => framesNamed(notifications.events, "pickup_reminder").length, { timeout: 20_000 }).toBe(1);
      expect(JSON.parse(framesNamed(notifications.events, "pickup_reminder")[0]!.data)).toMatchObject({ giveawayId, type: "PickupReminderSent" });
    }
    for (const notifications of pageStreams) {
      await expect.poll(() => notifications.events.some((frame) => frame.data.includes("Reminder: your pickup is coming up soon.")), { timeout: 20_000 }).toBe(true);
    }

    // Reloaded (or opened for the first time since): both pages still say the pickup is soon.
    for (const who of people) {
      for (const path of [`/messages/${giveawayId}`, `/giveaways/${giveawayId}`, "/inbox"]) {
        const shown = await page(who, path);
        expect(shown.status).toBe(200);
        expect(shown.text, `${path} for ${who.username}`).toMatch(/class="notice pickup-reminder" data-giveaway-id="[^"]+">Pickup soon: <time[^>]*>[^<]*<\/time> at <strong>Elm Street 5<\/strong>/);
      }
    }
    // Nobody else's pages, and not once the window has passed.
    const { outsider } = await drawnAmong(server, 1);
    expect((await page(outsider, `/giveaways/${giveawayId}`)).text).not.toContain("Pickup soon");
    clock.advance(3 * 3600_000);
    expect((await page(giver, `/giveaways/${giveawayId}`)).text).not.toContain("Pickup soon");
  });

  it("the giver who accepts the winner's plan on the page (away while it reloads) finds the reminder on the chat it lands on", async () => {
    const { giveawayId, giver, entrants } = await drawnAmong(server, 1);
    const winner = entrants[0]!;
    const proposed = await request(server.url)
      .post(`/api/giveaways/${giveawayId}/pickup/proposals`)
      .set(winner.auth)
      .send({ from: clock.inHours(40 / 60), to: clock.inHours(2), place: "The station" });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    // The form post of the card's Accept button: the giver's page is gone until the 303 lands.
    const accepted = await request(server.url)
      .post(`/messages/${giveawayId}/pickup/proposals/${proposed.body.proposalId}/accept`)
      .set(cookie(giver))
      .set("Origin", server.url)
      .type("form")
      .send({});
    expect(accepted.status).toBe(303);
    const landing = new URL(accepted.headers.location!, server.url).pathname;
    expect(landing).toBe(`/messages/${giveawayId}`);
    for (const who of [giver, winner]) {
      await expect
        .poll(async () => /Pickup soon: <time[^>]*>[^<]*<\/time> at <strong>The station<\/strong>/.test((await page(who, landing)).text), { timeout: 20_000 })
        .toBe(true);
    }
  });
});

// Every user-facing write that stores an event for good spends a budget: mute toggles, entries, the
// draw and every pickup step (the giveaway-actions limit), and on the pages also reactions and
// removals (the messages' limit, as on the API). Past it: 429 with Retry-After (JSON on the API, a
// readable page on the pages) and nothing stored. Each person comes from an address of their own.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGiveaway, uniqueName, password, type SignedInUser } from "../http/apiFixtures.ts";
import { drawnGiveaway, registerUser, sendByForm, type PageUser } from "../pages/pageSession.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

const budget = 5;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    env: { RATE_LIMITS: "on", TRUST_PROXY: "true", RATE_LIMIT_ACTIONS_PER_ACCOUNT: `${budget}/600`, RATE_LIMIT_MESSAGES_PER_ACCOUNT: `${budget}/600` },
  });
});
afterAll(() => server.close());

let addresses = 0;
const freshIp = () => `203.0.113.${(addresses += 1)}`;
type Person = SignedInUser & { ip: string };
const as = (person: Person) => ({ ...person.auth, "X-Forwarded-For": person.ip });

async function person(prefix: string): Promise<Person> {
  const ip = freshIp();
  const username = uniqueName(prefix);
  const created = await request(server.url).post("/api/users").set("X-Forwarded-For", ip).send({ username, password });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const token = (await request(server.url).post("/api/tokens").set("X-Forwarded-For", ip).send({ username, password })).body.token as string;
  return { id: created.body.id, username, token, auth: { Authorization: `Bearer ${token}` }, ip };
}

const storedRevision = (giveawayId: string) => server.handoff.storedRevision(giveawayId);

function expectRateLimited(response: request.Response): void {
  expect({ status: response.status, body: response.body }).toEqual({ status: 429, body: { error: { code: "rate_limited", message: expect.stringMatching(/too often/) } } });
  expect(Number(response.headers["retry-after"])).toBeGreaterThanOrEqual(1);
}

/** Toggles mute until the budget refuses; the statuses in order. */
async function muteUntilRefused(who: Person, giveawayId: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) {
    const toggle = i % 2 === 0 ? request(server.url).put(`/api/giveaways/${giveawayId}/mute`) : request(server.url).delete(`/api/giveaways/${giveawayId}/mute`);
    statuses.push((await toggle.set(as(who))).status);
  }
  return statuses;
}

describe("the API", () => {
  it("refuses mute toggles past the budget with 429, and stores none of the refused", async () => {
    const [giver, winner] = [await person("giver"), await person("winner")];
    const giveawayId = await createGiveaway(server, { ...giver, auth: as(giver) as { Authorization: string } });
    expect((await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(as(winner))).status).toBe(201); // the winner's first action
    expect((await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(as(giver))).status).toBe(200); // the giver's first action
    const before = await storedRevision(giveawayId);

    const statuses = await muteUntilRefused(winner, giveawayId, 40);
    expect(statuses).toEqual([...Array<number>(budget - 1).fill(204), ...Array<number>(40 - budget + 1).fill(429)]);
    expect(await storedRevision(giveawayId)).toBe(before + budget - 1);
    expectRateLimited(await request(server.url).put(`/api/giveaways/${giveawayId}/mute`).set(as(winner)));
  });

  it("refuses every other giveaway write once the budget is spent, storing nothing", async () => {
    const [giver, winner] = [await person("giver"), await person("winner")];
    const giveawayId = await createGiveaway(server, { ...giver, auth: as(giver) as { Authorization: string } });
    expect((await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(as(winner))).status).toBe(201);
    expect((await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(as(giver))).status).toBe(200);
    const proposal = await request(server.url)
      .post(`/api/giveaways/${giveawayId}/pickup/proposals`)
      .set(as(winner))
      .send({ from: new Date(Date.now() + 86_400_000).toISOString(), to: new Date(Date.now() + 90_000_000).toISOString(), place: "The station" });
    expect(proposal.status, JSON.stringify(proposal.body)).toBe(201);
    const other = await createGiveaway(server, { ...giver, auth: as(giver) as { Authorization: string } }, "Another");
    expect(await muteUntilRefused(giver, giveawayId, budget)).toContain(429);
    expect(await muteUntilRefused(winner, giveawayId, budget)).toContain(429);
    const before = await storedRevision(giveawayId);

    const base = `/api/giveaways/${giveawayId}`;
    const proposalPath = `${base}/pickup/proposals/${proposal.body.id}`;
    const api = request(server.url);
    const writes: [string, () => request.Test][] = [
      ["propose", () => api.post(`${base}/pickup/proposals`).set(as(winner)).send({ from: new Date(Date.now() + 86_400_000).toISOString(), to: new Date(Date.now() + 90_000_000).toISOString(), place: "Again" })],
      ["accept", () => api.post(`${proposalPath}/accept`).set(as(giver))],
      ["decline a proposal", () => api.post(`${proposalPath}/decline`).set(as(giver))],
      ["handover", () => api.post(`${base}/handover`).set(as(giver))],
      ["decline the prize", () => api.post(`${base}/decline`).set(as(winner))],
      ["redraw", () => api.post(`${base}/redraw`).set(as(giver))],
      ["cancel", () => api.post(`${base}/cancel`).set(as(giver))],
      ["enter", () => api.post(`/api/giveaways/${other}/entries`).set(as(winner))],
      ["draw", () => api.post(`/api/giveaways/${other}/draw`).set(as(giver))],
      ["mute", () => api.put(`${base}/mute`).set(as(giver))],
      ["unmute", () => api.delete(`${base}/mute`).set(as(winner))],
    ];
    for (const [name, write] of writes) {
      const response = await write();
      expect(response.status, name).toBe(429);
      expectRateLimited(response);
    }
    expect(await storedRevision(giveawayId)).toBe(before);
    expect(await storedRevision(other)).toBe(0); // created only: no entry, no draw
  });
});

describe("the pages", () => {
  let giver: PageUser;
  let winner: PageUser;
  let giveawayId: string;
  beforeAll(async () => {
    // Registered from loopback without a forwarded address: their own budgets all the same (per account).
    giver = await registerUser(server, uniqueName("pgiver"));
    winner = await registerUser(server, uniqueName("pwinner"));
    giveawayId = await drawnGiveaway(giver, winner); // one action each: the entry, the draw
  });

  function expectReadable429(response: request.Response): void {
    expect(response.status).toBe(429);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.text).toMatch(/You are doing that too often: try again in \d+ seconds?\./);
    expect(Number(response.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  }

  it("refuse mute toggles past the budget with a readable 429 page, storing none of the refused", async () => {
    const before = await storedRevision(giveawayId);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await winner.post(`/messages/${giveawayId}/mute`, { muted: i % 2 === 0 ? "1" : "0" })).status);
    expect(statuses).toEqual([...Array<number>(budget - 1).fill(303), ...Array<number>(20 - budget + 1).fill(429)]);
    expectReadable429(await winner.post(`/messages/${giveawayId}/mute`, { muted: "1" }));
    expect(await storedRevision(giveawayId)).toBe(before + budget - 1);
  });

  it("refuse pickup steps, with the budget spent, with a readable 429 page", async () => {
    const before = await storedRevision(giveawayId);
    expectReadable429(await winner.post(`/messages/${giveawayId}/pickup/proposals`, { id: crypto.randomUUID(), from: "2030-01-01T10:00", to: "2030-01-01T11:00", place: "Here" }));
    expectReadable429(await winner.post(`/messages/${giveawayId}/decline`));
    expect(await storedRevision(giveawayId)).toBe(before);
  });

  it("count reactions and removals against the messages' budget, as the API does", async () => {
    const messageId = await sendByForm(giver, giveawayId, "a message to react to"); // one of the giver's message writes
    const before = await storedRevision(giveawayId);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await giver.post(`/messages/${giveawayId}/reactions`, { messageId, emoji: "👍" })).status);
    expect(statuses).toEqual([...Array<number>(budget - 1).fill(303), ...Array<number>(10 - budget + 1).fill(429)]);
    const scripted = await giver.post(`/messages/${giveawayId}/retract`, { messageId }).set("HX-Request", "true");
    expect(scripted.status).toBe(429);
    expect(await storedRevision(giveawayId)).toBe(before + budget - 1);
  });
});

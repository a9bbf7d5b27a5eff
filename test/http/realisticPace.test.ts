// The default abuse limits never meet two people using handoff: both behind one address (a home's
// router), each on a phone and a laptop with a typo on the way in, three giveaways, several tabs
// open, and a conversation sent faster than anyone types (25 messages each, back to back).
import request from "supertest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectSse, type SseConnection } from "../support/sseClient.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { password, uniqueName } from "./apiFixtures.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { RATE_LIMITS: "on" } }); // the defaults
});
afterAll(() => server.close());

it("a two-person conversation at a person's pace meets no limit", async () => {
  const statuses: number[] = [];
  const check = (response: request.Response, expected: number) => {
    statuses.push(response.status);
    expect(response.status, JSON.stringify(response.body)).toBe(expected);
    return response;
  };
  const people = [];
  for (const prefix of ["giver", "winner"]) {
    const username = uniqueName(prefix);
    const id = check(await request(server.url).post("/api/users").send({ username, password }), 201).body.id as string;
    check(await request(server.url).post("/api/tokens").send({ username, password: "a typo here" }), 401);
    const tokens = [];
    for (const _device of ["phone", "laptop"]) tokens.push(check(await request(server.url).post("/api/tokens").send({ username, password }), 201).body.token as string);
    people.push({ id, auth: { Authorization: `Bearer ${tokens[0]}` }, cookie: `handoff_session=${tokens[1]}` });
  }
  const [giver, winner] = people as [(typeof people)[0], (typeof people)[0]];
  const giveawayIds: string[] = [];
  for (const title of ["A sofa", "A lamp", "Some books"]) giveawayIds.push(check(await request(server.url).post("/api/giveaways").set(giver.auth).send({ title }), 201).body.id);
  const giveawayId = giveawayIds[0]!;
  check(await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(winner.auth), 201);
  check(await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(giver.auth), 200);

  const streams: SseConnection[] = [];
  try {
    for (const person of [giver, winner]) {
      // Three tabs each: the chat, the giveaways list, the inbox; and the API client on the phone.
      streams.push(await connectSse(`${server.url}/messages/${giveawayId}/stream`, { Cookie: person.cookie }));
      streams.push(await connectSse(`${server.url}/me/stream`, { Cookie: person.cookie }));
      streams.push(await connectSse(`${server.url}/me/stream`, { Cookie: person.cookie }));
      streams.push(await connectSse(`${server.url}/api/giveaways/${giveawayId}/stream`, person.auth));
      streams.push(await connectSse(`${server.url}/api/me/stream`, person.auth));
    }
    statuses.push(...streams.map((stream) => stream.status));
    expect(streams.map((stream) => stream.status)).toEqual(streams.map(() => 200));

    for (let i = 0; i < 25; i += 1) {
      for (const person of [giver, winner]) {
        const sent = check(await request(server.url).post(`/api/giveaways/${giveawayId}/messages`).set(person.auth).send({ content: `message ${i}` }), 201);
        check(await request(server.url).post(`/api/giveaways/${giveawayId}/read`).set(person.auth).send({ revision: sent.body.revision }), 204);
      }
    }
  } finally {
    for (const stream of streams) stream.close();
  }
  expect(statuses.filter((status) => status === 429)).toEqual([]);
  const metrics = (await request(server.url).get("/metrics")).text;
  expect(metrics).not.toMatch(/^handoff_rate_limit_refusals_total\{[^}]*\} [1-9]/m);

  // The limits were on all along: a script on the same account is refused within 40 more sends.
  let refusedAfter: number | undefined;
  for (let i = 1; i <= 40 && refusedAfter === undefined; i += 1) {
    const sent = await request(server.url).post(`/api/giveaways/${giveawayId}/messages`).set(giver.auth).send({ content: `script ${i}` });
    if (sent.status === 429) refusedAfter = i;
  }
  expect(refusedAfter).toBeDefined();
});

// GET /metrics on a real server after some traffic: Prometheus text format, HTTP requests counted by
// route pattern (never the raw URL) and status, request time, and the process's default metrics.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectSse } from "../support/sseClient.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, send, type Conversation } from "../http/apiFixtures.ts";

let server: TestServer;
let talk: Conversation;

/** One sample's value from the exposition text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf("}"));
    const have = labelText.split(",");
    if (wanted.every((pair) => have.includes(pair))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

async function scrape(): Promise<string> {
  const response = await request(server.url).get("/metrics");
  expect(response.status).toBe(200);
  expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text;
}

beforeAll(async () => {
  server = await startTestServer();
  talk = await drawnGiveaway(server);
});
afterAll(() => server.close());

describe("GET /metrics", () => {
  it("counts requests by route pattern, method and status, and times them", async () => {
    const before = await scrape();
    const route = "/api/giveaways/:id/messages";
    const counted = (text: string, status: string) => sample(text, "handoff_http_requests_total", { route, method: "POST", status }) ?? 0;
    for (const content of ["one", "two", "three"]) await send(server, talk.giver, talk.giveawayId, content);
    await request(server.url).post(`/api/giveaways/${talk.giveawayId}/messages`).set(talk.outsider.auth).send({ content: "no" }).expect(403);
    const after = await scrape();

    expect(counted(after, "201") - counted(before, "201")).toBe(3);
    expect(counted(after, "403") - counted(before, "403")).toBe(1);
    expect(sample(after, "handoff_http_request_seconds_count", { route })! - (sample(before, "handoff_http_request_seconds_count", { route }) ?? 0)).toBe(4);
    expect(after).toMatch(/^# TYPE handoff_http_request_seconds histogram$/m);
    expect(after).toMatch(/^# HELP handoff_http_requests_total /m);
  });

  it("keeps the labels few: ids, unknown paths and odd methods never become labels", async () => {
    await request(server.url).get(`/api/giveaways/${talk.giveawayId}`).set(talk.giver.auth).expect(200);
    await request(server.url).get("/api/no/such/thing/8f2a9c").expect(404);
    await request(server.url).get("/no-such-page-5d1e7b").expect((response) => expect(response.status).toBeGreaterThanOrEqual(300));
    await request(server.url).get("/assets/no-such-asset-77aa.js");
    const text = await scrape();
    const series = text.split("\n").filter((line) => line.startsWith("handoff_http_requests_total{"));
    expect(series.length).toBeGreaterThan(0);
    for (const id of [talk.giveawayId, "8f2a9c", "5d1e7b", "77aa"]) expect(series.join("\n")).not.toContain(id);
    expect(sample(text, "handoff_http_requests_total", { route: "/api/giveaways/:id", method: "GET", status: "200" })).toBeGreaterThanOrEqual(1);
  });

  it("counts a stream served before express under its route pattern when it ends", async () => {
    const route = "/api/giveaways/:id/stream";
    const before = sample(await scrape(), "handoff_http_requests_total", { route, method: "GET", status: "200" }) ?? 0;
    const stream = await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream`, talk.winner.auth);
    expect(stream.status).toBe(200);
    stream.close();
    await expect.poll(async () => sample(await scrape(), "handoff_http_requests_total", { route, method: "GET", status: "200" })).toBe(before + 1);
    const refused = await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream`, talk.outsider.auth);
    expect(refused.status).toBe(403);
    await expect.poll(async () => sample(await scrape(), "handoff_http_requests_total", { route, method: "GET", status: "403" })).toBeGreaterThanOrEqual(1);
  });

  it("includes the process's default metrics, prefixed handoff_process_", async () => {
    const text = await scrape();
    expect(text).toMatch(/^handoff_process_process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^handoff_process_nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^# TYPE handoff_open_streams gauge$/m);
  });
});

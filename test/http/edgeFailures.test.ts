// Hostile and malformed requests each get an answer (never a 5xx, a stack trace or a crash), and ids
// have one form: the requests that once killed the process or answered 500 are here, one by one.
import http from "node:http";
import net from "node:net";
import { gzipSync } from "node:zlib";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnGiveaway, expectError, type Conversation } from "./apiFixtures.ts";
import { connectSse } from "../support/sseClient.ts";
import { metrics } from "../../src/observability/metrics.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { registerUser } from "../pages/pageSession.ts";

/** A raw request (supertest would refuse to send some of these). */
function raw(server: TestServer, options: http.RequestOptions, body?: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const { path = "/", ...rest } = options;
    const req = http.request(`${server.url}${path}`, rest, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk.length + text.length > 20_000 ? "" : chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      // A stream that opened: its headers are the answer.
      if (res.headers["content-type"]?.startsWith("text/event-stream")) {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: "" });
        req.destroy();
      }
    });
    req.on("error", reject);
    req.end(body);
  });
}

function expectNoInternals(text: string) {
  expect(text).not.toMatch(/at \S+ \(|node_modules|\/work\/|\.ts:\d+|Error:/);
}

describe("the edge under malformed requests", () => {
  let server: TestServer;
  let talk: Conversation;
  beforeAll(async () => {
    server = await startTestServer();
    talk = await drawnGiveaway(server);
  });
  afterAll(() => server?.close());

  it("answers a malformed session cookie on every kind of route without crashing", async () => {
    for (const cookie of ["handoff_session=%", "handoff_session=%E0%A4%A", "handoff_session=\u00ff%zz; a=%"]) {
      for (const path of ["/me/stream", `/messages/${talk.giveawayId}/stream`, "/messages/%E0%A4%A/stream", "/api/me/stream", "/giveaways", "/api/me", `/giveaways/${talk.giveawayId}/audit`]) {
        const answer = await raw(server, { path, headers: { Cookie: cookie } });
        expect(answer.status, `${path} with ${cookie}`).toBeGreaterThanOrEqual(300);
        expect(answer.status, `${path} with ${cookie}`).toBeLessThan(500);
        expectNoInternals(answer.text);
      }
    }
    expect((await request(server.url).get("/healthz")).status).toBe(200);
  });

  it("answers paths that cannot be decoded: JSON under /api, a page elsewhere", async () => {
    const api = await raw(server, { path: "/api/giveaways/%", headers: talk.giver.auth });
    expect(api.status).toBe(400);
    expect(JSON.parse(api.text)).toEqual({ error: { code: "bad_request", message: expect.any(String) } });
    const page = await raw(server, { path: "/giveaways/%E0%A4%A" });
    expect(page.status).toBeLessThan(500);
    expectNoInternals(page.text);
  });

  it("answers a corrupt gzip body with a JSON 400, and a page form's 400 with a readable page", async () => {
    const corrupt = Buffer.concat([gzipSync(Buffer.from('{"title":"x"}')).subarray(0, 12), Buffer.from("garbage")]);
    const api = await raw(server, { method: "POST", path: "/api/giveaways", headers: { ...talk.giver.auth, "Content-Type": "application/json", "Content-Encoding": "gzip" } }, corrupt);
    expect(api.status).toBe(400);
    expect(JSON.parse(api.text).error.code).toBe("bad_request");
    const person = await registerUser(server, `edge${process.pid}`);
    const page = await raw(
      server,
      { method: "POST", path: "/giveaways", headers: { Cookie: person.cookie, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip" } },
      corrupt,
    );
    expect(page.status).toBe(422); // the readable "please check the form" page
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expectNoInternals(page.text);
  });

  it("refuses a page form's malformed or upper-case giveaway id (422) instead of answering 500 or creating a second giveaway", async () => {
    const person = await registerUser(server, `form${process.pid}`);
    for (const giveawayId of ["x", talk.giveawayId.toUpperCase()]) {
      const answer = await person.post("/giveaways", { giveawayId, title: "Twice?" });
      expect(answer.status).toBe(422);
      expectNoInternals(answer.text);
    }
    expect(server.handoff.queries.listGiveaways(500).filter((g) => g.title === "Twice?")).toEqual([]);
  });

  it("answers an upper-case copy of an existing id as not found, everywhere", async () => {
    const upper = talk.giveawayId.toUpperCase();
    expectError(await request(server.url).get(`/api/giveaways/${upper}`).set(talk.giver.auth), 404, "giveaway_not_found");
    expectError(await request(server.url).post(`/api/giveaways/${upper}/entries`).set(talk.outsider.auth), 404, "giveaway_not_found");
    expectError(await request(server.url).get(`/api/giveaways/${upper}/events`).set(talk.giver.auth), 404, "giveaway_not_found");
    const stream = await connectSse(`${server.url}/api/giveaways/${upper}/stream`, talk.giver.auth);
    expect(stream.status).toBe(404);
  });

  it("answers an unknown /api path (even past the audit's routes) with a JSON 404, with nosniff", async () => {
    const answer = await request(server.url).get("/api/nothing/here").set(talk.giver.auth);
    expectError(answer, 404, "not_found");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("answers a page stream's resume point beyond the head with 409, never a silent stream", async () => {
    const person = await registerUser(server, `resume${process.pid}`);
    const stranger = await raw(server, { path: `/messages/${talk.giveawayId}/stream`, headers: { Cookie: person.cookie, "Last-Event-ID": "5000" } });
    expect(stranger.status).toBe(403); // not theirs: the participant rule comes first
    const winner = await raw(server, { path: `/messages/${talk.giveawayId}/stream?after=5000`, headers: talk.winner.auth });
    expect(winner.status).toBe(409);
    expect(winner.text).toMatch(/beyond/);
    const api = await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream?after=5000`, talk.winner.auth);
    expect(api.status).toBe(409);
  });

  it("opens no stream for a request whose connection the HTTP parser already refused (bytes after a GET without framing)", async () => {
    const opened = async () => (await metrics.deliveries.get()).values.reduce((sum, sample) => sum + sample.value, 0);
    const before = await opened();
    // The conversation streams check access and the resume point before they open: the parser's refusal comes first.
    for (const path of [`/messages/${talk.giveawayId}/stream`, `/api/giveaways/${talk.giveawayId}/stream`]) {
      const { port } = new URL(server.url);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), "127.0.0.1", () => {
          // One write: the head, then a byte no request may start with; node answers 400 and destroys the socket.
          socket.end(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: handoff_session=${talk.winner.token}\r\nLast-Event-ID: -1\r\n\r\n{`);
        });
        let text = "";
        socket.setEncoding("latin1");
        socket.on("data", (chunk) => (text += chunk));
        socket.on("close", () => resolve(text));
        socket.on("error", reject);
      });
      expect(answer.split("\r\n")[0], path).toBe("HTTP/1.1 400 Bad Request");
    }
    // A later request is served after whatever the refused ones left queued in this process.
    expect((await request(server.url).get("/healthz")).status).toBe(200);
    expect(await opened()).toBe(before);
  });
});

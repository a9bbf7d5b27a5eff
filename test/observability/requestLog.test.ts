// The process's log, read from a real `npm start` process: one JSON line per request (id, route,
// status, time), one per stream when it ends, and never a password, token, cookie or message text.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connectSse } from "../support/sseClient.ts";
import { startLoggingServer, type LoggingServer } from "../support/loggingServerProcess.ts";
import { makeTempDir } from "../support/tempDir.ts";
import type { TestServer } from "../support/testServer.ts";
import { drawnGiveaway, password, send, type Conversation } from "../http/apiFixtures.ts";
import { inputValue, registerUser } from "../pages/pageSession.ts";

const dir = makeTempDir("request-log");
let server: LoggingServer;
let talk: Conversation;
const secretText = "meet me at the old mill, door code 4471";
let sendRequestId: string;
let pageCookie: string;

beforeAll(async () => {
  server = await startLoggingServer({ DATA_DIR: dir.path, LOG_LEVEL: "debug" });
  // The API fixtures need only the address of a server.
  const api = { url: server.url } as TestServer;
  talk = await drawnGiveaway(api);
  const sent = await request(server.url)
    .post(`/api/giveaways/${talk.giveawayId}/messages`)
    .set(talk.giver.auth)
    .set("X-Request-Id", "trace-send-0001")
    .send({ content: secretText });
  expect(sent.status).toBe(201);
  sendRequestId = String(sent.headers["x-request-id"]);
  await send(api, talk.winner, talk.giveawayId, `${secretText} (reply)`);

  // A stream, opened and closed by the client.
  const stream = await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream?after=-1`, talk.giver.auth);
  await vi.waitFor(() => expect(stream.events.filter((event) => event.event === "message")).toHaveLength(2), { timeout: 10_000 });
  stream.close();

  // The pages: a sign-up with a password, a session cookie, a message sent by form.
  const page = await registerUser(api, `pageuser${process.pid}`, "page password 1234");
  pageCookie = page.cookie.split("=")[1]!;
  const form = await page.get("/giveaways");
  expect(inputValue(form.text, "giveawayId")).toBeTruthy();
  // A refused sign-in (wrong password) is logged too, without the password.
  await request(server.url).post("/api/tokens").send({ username: talk.giver.username, password: "wrong password 9876" }).expect(401);

  // The log is written as each response finishes: wait for the last request's line.
  const refusedSignIn = (line: Record<string, unknown>) => line.route === "/api/tokens" && line.status === 401;
  const streamEnded = (line: Record<string, unknown>) => line.msg === "stream ended";
  await vi.waitFor(() => expect([server.logLines().some(refusedSignIn), server.logLines().some(streamEnded)]).toEqual([true, true]), { timeout: 10_000 });
});
afterAll(async () => {
  await server?.stop();
  dir.remove();
});

describe("the request log", () => {
  it("has one JSON line per request with its id, method, route pattern, status and time", () => {
    const requests = server.logLines().filter((line) => line.msg === "request");
    const sendLine = requests.find((line) => line.requestId === "trace-send-0001");
    expect(sendRequestId).toBe("trace-send-0001"); // the caller's id is kept and returned
    expect(sendLine).toMatchObject({
      level: 30,
      component: "http",
      method: "POST",
      path: `/api/giveaways/${talk.giveawayId}/messages`,
      route: "/api/giveaways/:id/messages",
      status: 201,
      ms: expect.any(Number),
    });
    expect(requests.filter((line) => line.route === "/api/giveaways/:id/messages")).toHaveLength(2);
    expect(requests.find((line) => line.route === "/api/tokens" && line.status === 401)).toMatchObject({ method: "POST", level: 30 });
    // Every line has a request id, each one different.
    const ids = requests.map((line) => line.requestId);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("logs a stream when it ends, with how long it was open", () => {
    const ended = server.logLines().find((line) => line.msg === "stream ended");
    expect(ended).toMatchObject({
      component: "http",
      method: "GET",
      route: "/api/giveaways/:id/stream",
      path: `/api/giveaways/${talk.giveawayId}/stream`, // the query is never logged
      status: 200,
      stream: true,
      requestId: expect.any(String),
      ms: expect.any(Number),
    });
  });

  it("never holds a password, token, cookie or message text", () => {
    const output = server.output();
    expect(output.length).toBeGreaterThan(0);
    for (const secret of [password, "page password 1234", "wrong password 9876", talk.giver.token, talk.winner.token, pageCookie, secretText, "old mill"]) {
      expect(output, `found ${JSON.stringify(secret)} in the log`).not.toContain(secret);
    }
    expect(output).not.toMatch(/authorization|cookie/i);
  });

  it("writes nothing but JSON lines", () => {
    const lines = server.output().split("\n").filter(Boolean);
    expect(lines.every((line) => line.startsWith("{"))).toBe(true);
  });
});

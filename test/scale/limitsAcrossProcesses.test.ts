// Two `npm start` processes on one data dir spend from one budget: requests spread over both are
// refused at the shared limit, not at twice it, and the open-stream cap counts both processes'
// streams. (DATA_DIR/limits.db; docs/scaling.md.)
import request from "supertest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { drawnGiveaway, type Conversation } from "../http/apiFixtures.ts";
import { connectSse, type SseConnection } from "../support/sseClient.ts";
import { startServerProcess, type ServerProcess } from "../support/serverProcess.ts";
import { makeTempDir } from "../support/tempDir.ts";
import type { TestServer } from "../support/testServer.ts";

const dir = makeTempDir("limits-processes");
const env = {
  RATE_LIMITS: "on",
  TRUST_PROXY: "true",
  PASSWORD_SCRYPT_N: "1024",
  RATE_LIMIT_SIGNIN_PER_IP: "4/60",
  RATE_LIMIT_MESSAGES_PER_ACCOUNT: "4/60",
  RATE_LIMIT_STREAMS_PER_USER: "2",
};
let a: ServerProcess;
let b: ServerProcess;
let talk: Conversation;
const open: SseConnection[] = [];

beforeAll(async () => {
  [a, b] = (await Promise.all([0, 1].map(() => startServerProcess({ dataDir: dir.path, env })))) as [ServerProcess, ServerProcess];
  talk = await drawnGiveaway({ url: a.url } as TestServer);
}, 120_000);

afterAll(async () => {
  for (const connection of open) connection.close();
  await Promise.all([a, b].map((server) => server?.kill("SIGKILL")));
  dir.remove();
});

it("sign-in attempts spread over both processes meet one per-IP budget", async () => {
  const attempt = (server: ServerProcess) =>
    request(server.url).post("/api/tokens").set("X-Forwarded-For", "203.0.113.7").send({ username: "nobody_here", password: "wrong password" });
  const statuses = [];
  for (const server of [a, b, a, b]) statuses.push((await attempt(server)).status);
  expect(statuses).toEqual([401, 401, 401, 401]);
  for (const server of [a, b]) {
    const refused = await attempt(server);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  }
});

it("messages sent through both processes meet one per-account budget", async () => {
  const sendVia = (server: ServerProcess, content: string) =>
    request(server.url).post(`/api/giveaways/${talk.giveawayId}/messages`).set(talk.giver.auth).send({ content });
  const statuses = [];
  for (const [i, server] of [a, b, a, b].entries()) statuses.push((await sendVia(server, `m${i}`)).status);
  expect(statuses).toEqual([201, 201, 201, 201]);
  expect((await sendVia(a, "too many")).status).toBe(429);
  expect((await sendVia(b, "too many")).status).toBe(429);
});

it("the open-stream cap counts the user's streams on every process", async () => {
  const streamOn = async (server: ServerProcess) => {
    const connection = await connectSse(`${server.url}/api/me/stream`, talk.winner.auth);
    open.push(connection);
    return connection;
  };
  const onA = await streamOn(a);
  const onB = await streamOn(b);
  expect([onA.status, onB.status]).toEqual([200, 200]);
  const thirdOnA = await streamOn(a);
  const thirdOnB = await streamOn(b);
  expect([thirdOnA.status, thirdOnB.status]).toEqual([429, 429]);
  expect(thirdOnB.body).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/at most 2 live streams/) } });

  // Closing the stream on B frees a place that A can give.
  onB.close();
  await expect
    .poll(async () => {
      const again = await streamOn(a);
      return again.status;
    })
    .toBe(200);
});

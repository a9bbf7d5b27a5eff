// An open stream lasts hours and node keeps its request's headers as long: once the stream is open,
// the token (API) or session cookie (pages) it was opened with is no longer held by the request.
import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { connectSse, type SseConnection } from "../support/sseClient.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { registerUser } from "../pages/pageSession.ts";
import { drawnGiveaway, type Conversation } from "./apiFixtures.ts";

let server: TestServer;
let talk: Conversation;
const requests: IncomingMessage[] = [];
const open: SseConnection[] = [];

beforeAll(async () => {
  server = await startTestServer();
  talk = await drawnGiveaway(server);
  server.server.prependListener("request", (req: IncomingMessage) => {
    if (req.url?.includes("/stream")) requests.push(req);
  });
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await server.close();
});

function heldSecrets(req: IncomingMessage, secret: string): string[] {
  return [...req.rawHeaders, ...Object.values(req.headers).flat()].filter((value): value is string => typeof value === "string" && value.includes(secret));
}

it("an API stream holds no copy of its bearer token once open", async () => {
  const stream = await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream`, talk.winner.auth);
  open.push(stream);
  expect(stream.status).toBe(200);
  await vi.waitFor(() => expect(stream.events.some((frame) => frame.event === "presence")).toBe(true));
  const req = requests.find((each) => each.url?.startsWith(`/api/giveaways/${talk.giveawayId}/stream`));
  expect(req).toBeDefined();
  expect(heldSecrets(req!, talk.winner.token)).toEqual([]);
});

it("a page stream holds no copy of its session cookie once open", async () => {
  const user = await registerUser(server, `forgetful${process.pid}`, "forgetful password 1234");
  const cookieValue = user.cookie.split("=")[1]!;
  const stream = await connectSse(`${server.url}/me/stream`, { Cookie: user.cookie });
  open.push(stream);
  expect(stream.status).toBe(200);
  await vi.waitFor(() => expect(stream.events.length).toBeGreaterThan(0));
  const req = requests.find((each) => each.url === "/me/stream");
  expect(req).toBeDefined();
  expect(heldSecrets(req!, cookieValue)).toEqual([]);
});

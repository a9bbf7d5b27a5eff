// An open stream is mostly idle for hours, and thousands are open at once: what each one keeps in
// memory is counted here, not timed. Its head is given whole to writeHead (no per-response header
// table), the listeners node keeps on its response are shared by every stream (no closure each), and a
// token that ends hours from now holds no timer yet. Refusals still carry the request's id.
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { connectSse, type SseConnection } from "../support/sseClient.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { registerUser } from "../pages/pageSession.ts";
import { drawnGiveaway, type Conversation } from "./apiFixtures.ts";

let server: TestServer;
let talk: Conversation;
const responses = new Map<string, ServerResponse>();
const open: SseConnection[] = [];

beforeAll(async () => {
  server = await startTestServer();
  talk = await drawnGiveaway(server);
  server.server.prependListener("request", (req, res: ServerResponse) => {
    const id = req.headers["x-request-id"];
    if (typeof id === "string") responses.set(id, res);
  });
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await server.close();
});

async function openStream(path: string, headers: Record<string, string>, requestId: string): Promise<{ stream: SseConnection; res: ServerResponse }> {
  const stream = await connectSse(`${server.url}${path}`, { ...headers, "X-Request-Id": requestId });
  open.push(stream);
  expect(stream.status).toBe(200);
  await vi.waitFor(() => expect(stream.events.length).toBeGreaterThan(0));
  const res = responses.get(requestId);
  expect(res).toBeDefined();
  return { stream, res: res! };
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}

it("an API stream's head goes out whole, with its request id, and leaves no header table behind", async () => {
  const { stream, res } = await openStream(`/api/giveaways/${talk.giveawayId}/stream`, talk.winner.auth, "footprint-api-1");
  expect(stream.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
  expect(stream.headers["cache-control"]).toBe("no-cache, no-transform");
  expect(stream.headers["x-content-type-options"]).toBe("nosniff");
  expect(stream.headers["x-request-id"]).toBe("footprint-api-1");
  expect(res.headersSent).toBe(true);
  expect(res.getHeaderNames()).toEqual([]);
});

it("a page stream's head goes out the same way", async () => {
  const user = await registerUser(server, `footprint${process.pid}`, "footprint password 1234");
  const { stream, res } = await openStream("/me/stream", { Cookie: user.cookie }, "footprint-page-1");
  expect(stream.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
  expect(stream.headers["x-request-id"]).toBe("footprint-page-1");
  expect(res.getHeaderNames()).toEqual([]);
});

it("every stream's response shares the same close and error listeners (no closure per stream)", async () => {
  const first = await openStream(`/api/giveaways/${talk.giveawayId}/stream`, talk.giver.auth, "footprint-shared-1");
  const second = await openStream(`/api/giveaways/${talk.giveawayId}/stream`, talk.winner.auth, "footprint-shared-2");
  for (const event of ["close", "error"]) {
    const listeners = first.res.listeners(event);
    expect(listeners.length).toBeGreaterThan(0);
    expect(second.res.listeners(event)).toEqual(listeners);
  }
});

it("streams whose tokens end hours from now hold no timer each", async () => {
  const before = timers();
  for (let i = 0; i < 8; i++) {
    const who = i % 2 === 0 ? talk.giver : talk.winner;
    await openStream(`/api/giveaways/${talk.giveawayId}/stream`, who.auth, `footprint-timer-${i}`);
  }
  expect(timers() - before).toBeLessThan(4);
});

it("a refused stream still answers with its request id (API and page)", async () => {
  const api = await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream`, { "X-Request-Id": "footprint-refused-api" });
  expect(api.status).toBe(401);
  expect(api.headers["x-request-id"]).toBe("footprint-refused-api");
  expect(api.headers["cache-control"]).toBe("no-store");
  const page = await connectSse(`${server.url}/me/stream`, { "X-Request-Id": "footprint-refused-page" });
  expect(page.status).toBe(401);
  expect(page.headers["x-request-id"]).toBe("footprint-refused-page");
  expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
});

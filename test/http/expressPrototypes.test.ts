// The server builds each request and response with express's prototypes already in place, so express
// swaps no prototype per request (V8 answers a swap with new hidden classes, and most of each
// request then outlived the young generation: docs/profiles/write-path.md, sixth pass). Counted here
// by what each object is when node:http hands it over and after express has answered it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, type Conversation } from "./apiFixtures.ts";

let server: TestServer;
let talk: Conversation;

interface Seen {
  path: string;
  /** express's request and response methods were there when node:http handed the objects over. */
  expressFromTheStart: boolean;
  requestPrototype: object | null;
  responsePrototype: object | null;
  prototypesAfter?: [object | null, object | null];
}
const seen: Seen[] = [];

beforeAll(async () => {
  server = await startTestServer();
  talk = await drawnGiveaway(server);
  server.server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    const entry: Seen = {
      path: req.url ?? "",
      expressFromTheStart: typeof (req as { get?: unknown }).get === "function" && typeof (res as { json?: unknown }).json === "function",
      requestPrototype: Object.getPrototypeOf(req) as object | null,
      responsePrototype: Object.getPrototypeOf(res) as object | null,
    };
    seen.push(entry);
    res.once("finish", () => {
      entry.prototypesAfter = [Object.getPrototypeOf(req) as object | null, Object.getPrototypeOf(res) as object | null];
    });
  });
});
afterAll(async () => {
  await server.close();
});

it("hands express a request and a response that already have its prototypes, for the API, the pages and health alike", async () => {
  seen.length = 0;
  const sent = await fetch(`${server.url}/api/giveaways/${talk.giveawayId}/messages`, {
    method: "POST",
    headers: { Authorization: `Bearer ${talk.giver.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ id: crypto.randomUUID(), content: "Saturday at ten?" }),
  });
  expect(sent.status).toBe(201);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${server.url}/signin`)).status).toBe(200);
  const missing = await fetch(`${server.url}/api/no-such-route`);
  expect(missing.status).toBe(404);
  expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");

  expect(seen.map((entry) => entry.path)).toEqual([`/api/giveaways/${talk.giveawayId}/messages`, "/healthz", "/signin", "/api/no-such-route"]);
  for (const entry of seen) {
    expect(entry.expressFromTheStart).toBe(true);
    // express's own swap (app.handle) found each prototype already in place: nothing changed.
    expect(entry.prototypesAfter).toEqual([entry.requestPrototype, entry.responsePrototype]);
  }
});

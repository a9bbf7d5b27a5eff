// A send is answered once it is durable and its read model applied; the fan-out to the
// conversation's streams comes after the answer, not before (issue #12). Proved by the order of
// events in the server process, never by time: the POST's res.end against the first listener call.
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { connectSse, messagesIn, type SseConnection } from "../support/sseClient.ts";
import { drawnGiveaway, send, type Conversation } from "./apiFixtures.ts";

let server: TestServer;
let talk: Conversation;
const order: string[] = [];
const open: SseConnection[] = [];

beforeAll(async () => {
  server = await startTestServer();
  talk = await drawnGiveaway(server);
  // Ahead of express: note when a send's answer is handed to its socket.
  server.server.prependListener("request", (req, res: ServerResponse) => {
    if (req.method !== "POST" || !req.url?.endsWith("/messages")) return;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      order.push(`answer ${res.statusCode}`);
      return end(...args);
    }) as typeof res.end;
  });
  // The conversation's first listener, so its call comes before any stream's frame is written.
  server.handoff.hub.joinConversation(talk.giveawayId, talk.winner.id, (event) => {
    if (event.kind === "message") order.push(`fan-out ${event.message.content}`);
  });
  open.push(await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream`, talk.winner.auth));
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await server.close();
});

describe("the answer to a send does not wait for the fan-out", () => {
  it("writes each POST's answer before the first subscriber hears of the message", async () => {
    for (const content of ["one", "two", "three"]) {
      await send(server, talk.giver, talk.giveawayId, content);
      await expect.poll(() => order.filter((entry) => entry === `fan-out ${content}`)).toHaveLength(1);
    }
    expect(order).toEqual(["answer 201", "fan-out one", "answer 201", "fan-out two", "answer 201", "fan-out three"]);
    // The streams still get every message, once, in order.
    await expect.poll(() => messagesIn(open[0]!.events).map((message) => message.content)).toEqual(["one", "two", "three"]);
  });
});

// Resuming a conversation stream by Last-Event-ID or ?after: every missed message exactly once, in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, send, type Conversation } from "./apiFixtures.ts";
import { connectSse, messagesIn, type SseConnection } from "../support/sseClient.ts";

let server: TestServer;
const open: SseConnection[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await server.close();
});

async function stream(talk: Conversation, headers: Record<string, string>, query = ""): Promise<SseConnection> {
  const connection = await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream${query}`, headers);
  expect(connection.status).toBe(200);
  open.push(connection);
  return connection;
}

async function sendMany(talk: Conversation, prefix: string, count: number) {
  const sent = [];
  for (let i = 1; i <= count; i++) sent.push(await send(server, i % 2 ? talk.winner : talk.giver, talk.giveawayId, `${prefix}${i}`));
  return sent;
}

/** Waits until at least `count` messages came and returns all so far (extras show up in the caller's toEqual). */
async function readMessages(connection: SseConnection, count: number) {
  await expect.poll(() => messagesIn(connection.events).length).toBeGreaterThanOrEqual(count);
  return messagesIn(connection.events);
}

describe("resuming a conversation stream", () => {
  it("by Last-Event-ID: exactly the messages sent while away, in order, then live", async () => {
    const talk = await drawnGiveaway(server);
    const first = await stream(talk, talk.giver.auth);
    const before = await sendMany(talk, "before", 3);
    const seen = await readMessages(first, 3);
    const lastEventId = first.events.filter((event) => event.event === "message").at(-1)!.id!;
    expect(lastEventId).toBe(String(before[2]!.revision));
    first.close();

    const missed = await sendMany(talk, "away", 6);
    const second = await stream(talk, { ...talk.giver.auth, "Last-Event-ID": lastEventId });
    expect((await readMessages(second, 6)).map((m) => m.content)).toEqual(missed.map((m) => m.content));

    const live = await send(server, talk.winner, talk.giveawayId, "live");
    const all = await readMessages(second, 7);
    expect(all.map((m) => m.id)).toEqual([...missed, live].map((m) => m.id));
    expect(new Set([...seen, ...all].map((m) => m.id)).size).toBe(10);
  });

  it("by ?after=<revision>, and from the start with ?after=-1", async () => {
    const talk = await drawnGiveaway(server);
    const sent = await sendMany(talk, "m", 5);
    const resumed = await stream(talk, talk.winner.auth, `?after=${sent[1]!.revision}`);
    expect((await readMessages(resumed, 3)).map((m) => m.content)).toEqual(["m3", "m4", "m5"]);

    const fromStart = await stream(talk, talk.winner.auth, "?after=-1");
    const history = await readMessages(fromStart, 5);
    expect(history.map((m) => m.id)).toEqual(sent.map((m) => m.id));
    const frames = fromStart.events.filter((event) => event.event === "message");
    expect(frames.map((frame) => Number(frame.id))).toEqual(sent.map((m) => m.revision));
  });

  it("prefers Last-Event-ID (a reconnect) over the ?after the page first asked for", async () => {
    const talk = await drawnGiveaway(server);
    const sent = await sendMany(talk, "m", 4);
    const connection = await stream(talk, { ...talk.giver.auth, "Last-Event-ID": String(sent[2]!.revision) }, "?after=-1");
    expect((await readMessages(connection, 1)).map((m) => m.content)).toEqual(["m4"]);
    await send(server, talk.winner, talk.giveawayId, "m5");
    expect((await readMessages(connection, 2)).map((m) => m.content)).toEqual(["m4", "m5"]);
  });

  it("has no gap and no duplicate when messages arrive while the stream starts", async () => {
    const talk = await drawnGiveaway(server);
    const sending = sendMany(talk, "race", 30);
    // Connect while the sends are under way: history and live overlap at an unknown point.
    await expect.poll(() => server.handoff.queries.messagesAfter(talk.giveawayId, -1).length, { interval: 5 }).toBeGreaterThan(2);
    const connection = await stream(talk, talk.giver.auth, "?after=-1");
    const sent = await sending;
    // One more after the race: whatever was doubled or lost shows up before it.
    sent.push(await send(server, talk.winner, talk.giveawayId, "after the race"));
    const received = await readMessages(connection, 31);
    expect(received.map((m) => m.id)).toEqual(sent.map((m) => m.id));
  });
});

// The typed client (client/) against a real server: live order, exact resume across a restart,
// sends retried with their id and stored once, and the refusals it reports as states.
import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HandoffClient, type Conversation, type HandoffClientOptions } from "../../client/handoffClient.ts";
import { drawnGiveaway, send, tokenFor, type Conversation as DrawnConversation } from "../http/apiFixtures.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

const quickRetries = { reconnect: { initialDelayMs: 50, maxDelayMs: 400 }, send: { attempts: 40, initialDelayMs: 50, maxDelayMs: 400 } };

const dataDir = makeTempDir("client");
let server: TestServer;
const opened: Conversation[] = [];

beforeAll(async () => {
  server = await startTestServer({ dataDir: dataDir.path });
});
afterEach(() => {
  for (const conversation of opened.splice(0)) conversation.close();
});
afterAll(async () => {
  await server?.close();
  dataDir.remove();
});

function follow(options: Omit<HandoffClientOptions, "baseUrl"> & { baseUrl?: string }, giveawayId: string): Conversation {
  const conversation = new HandoffClient({ baseUrl: server.url, ...quickRetries, ...options }).conversation(giveawayId);
  conversation.subscribe(() => undefined);
  opened.push(conversation);
  return conversation;
}

/** What the API itself holds, oldest first: what the client must show exactly. */
async function storedContents(chat: DrawnConversation): Promise<string[]> {
  const answer = await request(server.url).get(`/api/giveaways/${chat.giveawayId}/messages?after=-1&limit=1000`).set(chat.giver.auth).expect(200);
  return (answer.body.messages as { content: string }[]).map((message) => message.content);
}

function expectOrderedOnce(conversation: Conversation): void {
  const revisions = conversation.messages.map((message) => message.revision);
  expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
  expect(new Set(conversation.messages.map((message) => message.id)).size).toBe(revisions.length);
}

describe("HandoffClient, live", () => {
  it("shows both people's messages in order, each once, and keeps them updated by id", async () => {
    const chat = await drawnGiveaway(server);
    await send(server, chat.giver, chat.giveawayId, "before the client came");
    const bob = follow({ token: chat.winner.token }, chat.giveawayId);
    await expect.poll(() => bob.snapshot.status).toBe("live");

    await send(server, chat.giver, chat.giveawayId, "the sofa is yours");
    const mine = await bob.send("thank you!");
    await send(server, chat.giver, chat.giveawayId, "Saturday at 10?");
    await bob.send("perfect");
    const expected = ["before the client came", "the sofa is yours", "thank you!", "Saturday at 10?", "perfect"];
    await expect.poll(() => bob.messages.map((message) => message.content)).toEqual(expected);
    expectOrderedOnce(bob);
    expect(bob.snapshot.pending).toEqual([]);

    // A reaction and a removal change the message in place.
    await request(server.url).put(`/api/giveaways/${chat.giveawayId}/messages/${mine.id}/reactions/%F0%9F%91%8D`).set(chat.giver.auth).expect(204);
    await expect.poll(() => bob.messages.find((message) => message.id === mine.id)?.reactions).toEqual({ "👍": [chat.giver.id] });
    await request(server.url).delete(`/api/giveaways/${chat.giveawayId}/messages/${mine.id}`).set(chat.winner.auth).expect(204);
    await expect.poll(() => bob.messages.find((message) => message.id === mine.id)?.retractedAt).toEqual(expect.any(String));
    expect(bob.messages.map((message) => message.id)).toHaveLength(expected.length);
    expect(bob.messages.find((message) => message.id === mine.id)?.content).toBe("");
  });

  it("reports a refused token as unauthorized, and a stranger's conversation as closed with its code", async () => {
    const chat = await drawnGiveaway(server);
    const forged = tokenFor("another-secret-another-secret-0123", chat.winner).token;
    const refused = follow({ token: forged }, chat.giveawayId);
    await expect.poll(() => refused.snapshot.status).toBe("unauthorized");
    expect(refused.snapshot.error?.status).toBe(401);

    const outsider = follow({ token: chat.outsider.token }, chat.giveawayId);
    await expect.poll(() => outsider.snapshot.status).toBe("closed");
    expect(outsider.snapshot.error?.code).toBe("not_participant");
    await expect(outsider.send("hello?")).rejects.toMatchObject({ status: 403, code: "not_participant" });
    expect(outsider.snapshot.pending).toEqual([expect.objectContaining({ content: "hello?", state: "failed" })]);
  });

  it("asks getToken again after a 401 and carries on with the fresh token", async () => {
    const chat = await drawnGiveaway(server);
    const tokens = [tokenFor("another-secret-another-secret-0123", chat.winner).token, chat.winner.token];
    let asked = 0;
    const bob = follow({ getToken: () => tokens[Math.min(asked++, 1)]! }, chat.giveawayId);
    await expect.poll(() => bob.snapshot.status).toBe("live");
    await send(server, chat.giver, chat.giveawayId, "got through");
    await expect.poll(() => bob.messages.map((message) => message.content)).toEqual(["got through"]);
  });
});

describe("HandoffClient, across failures", () => {
  it("retries a send whose answer was lost with the same id: stored once, shown once", async () => {
    const chat = await drawnGiveaway(server);
    let postsSeen = 0;
    const losingFirstAnswer: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === "POST" && ++postsSeen === 1) throw new TypeError("the connection was reset before the answer arrived");
      return response;
    };
    const bob = follow({ token: chat.winner.token, fetch: losingFirstAnswer }, chat.giveawayId);
    const sent = await bob.send("only once, please");
    expect(postsSeen).toBe(2);
    expect(await storedContents(chat)).toEqual(["only once, please"]);
    await expect.poll(() => bob.snapshot.status).toBe("live");
    await send(server, chat.giver, chat.giveawayId, "got it");
    await expect.poll(() => bob.messages.map((message) => message.content)).toEqual(["only once, please", "got it"]);
    expect(bob.messages[0]!.id).toBe(sent.id);
  });

  it("resumes exactly after the server restarts: what was sent meanwhile arrives once, in order", async () => {
    const chat = await drawnGiveaway(server);
    // The client's own network: while it is down, its stream requests fail like an unplugged cable.
    let networkUp = true;
    const streamsOpened: URL[] = [];
    const clientNetwork: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith("/stream")) {
        if (!networkUp) throw new TypeError("network is down");
        streamsOpened.push(url);
      }
      return fetch(input, init);
    };
    const bob = follow({ token: chat.winner.token, fetch: clientNetwork }, chat.giveawayId);
    await expect.poll(() => bob.snapshot.status).toBe("live");
    const before = [await send(server, chat.giver, chat.giveawayId, "one"), await send(server, chat.giver, chat.giveawayId, "two")];
    await expect.poll(() => bob.messages.length).toBe(2);

    networkUp = false;
    const port = new URL(server.url).port;
    await server.stop();
    await expect.poll(() => bob.snapshot.status).toBe("reconnecting");
    // A send made while the server is down is retried (same id) until it is back.
    const sentWhileDown = bob.send("three, sent while you were away");
    server = await startTestServer({ dataDir: dataDir.path, env: { PORT: port } });
    expect(new URL(server.url).port).toBe(port);
    await send(server, chat.giver, chat.giveawayId, "four");
    await sentWhileDown;
    await send(server, chat.giver, chat.giveawayId, "five");
    networkUp = true;

    const expected = await storedContents(chat);
    expect(expected).toHaveLength(5);
    await expect.poll(() => bob.messages.map((message) => message.content)).toEqual(expected);
    expect(bob.snapshot.status).toBe("live");
    expectOrderedOnce(bob);
    // It resumed from the last revision it had, not from the start and not from "now".
    expect(streamsOpened.at(-1)?.searchParams.get("after")).toBe(String(before[1]!.revision));
  });
});

// A client that sends half a request line and stalls is disconnected once the header timeout has
// passed (lowered here), while a live stream opened before it lives on: the request timeout bounds
// receiving a request, never a stream's life. Past the connection cap, a new connection is closed.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnGiveaway, send, type Conversation } from "../http/apiFixtures.ts";
import { connectSse, messagesIn } from "../support/sseClient.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

/** A raw connection: what it received, and when the server closed it. */
function rawClient(url: string): { socket: Socket; received: () => string; closed: Promise<void>; connected: Promise<void> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, received: () => text, closed, connected };
}

describe("slow request heads", () => {
  let server: TestServer;
  let conversation: Conversation;
  beforeAll(async () => {
    server = await startTestServer({ env: { HTTP_HEADERS_TIMEOUT_MS: "300", HTTP_REQUEST_TIMEOUT_MS: "300" } });
    conversation = await drawnGiveaway(server);
  });
  afterAll(() => server.close());

  it("are cut after the header timeout, and a stream opened before lives on", { timeout: 20_000 }, async () => {
    const stream = await connectSse(`${server.url}/api/giveaways/${conversation.giveawayId}/stream?after=-1`, conversation.winner.auth);
    expect(stream.status).toBe(200);

    const slow = rawClient(server.url);
    await slow.connected;
    slow.socket.write("GET /healthz HT"); // half a request line, then nothing
    await slow.closed; // node's default (60 s, checked every 30 s) would outlast the test's 20 s
    expect(slow.received()).toMatch(/^(HTTP\/1\.1 408 |$)/);

    // The stream, older than the slow client, still delivers.
    await send(server, conversation.giver, conversation.giveawayId, "still here?");
    await expect.poll(() => messagesIn(stream.events).map((message) => message.content)).toContain("still here?");
    expect(stream.isEnded).toBe(false);
    stream.close();
  });
});

describe("the connection cap", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { HTTP_MAX_CONNECTIONS: "2" } });
  });
  afterAll(() => server.close());

  it("closes a connection past the cap at once, and takes one again once a place is free", async () => {
    const accepted: Socket[] = [];
    server.server.on("connection", (socket: Socket) => accepted.push(socket));
    const first = rawClient(server.url);
    const second = rawClient(server.url);
    await expect.poll(() => accepted.length).toBe(2);

    const third = rawClient(server.url);
    third.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    await third.closed;
    expect(third.received()).toBe("");

    first.socket.destroy();
    await first.closed;
    await expect.poll(async () => (await new Promise<number>((resolve) => server.server.getConnections((_error, count) => resolve(count))))).toBe(1);
    const fourth = rawClient(server.url);
    fourth.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    await fourth.closed;
    expect(fourth.received()).toMatch(/^HTTP\/1\.1 200 /);
    second.socket.destroy();
  });
});

// Memory a client or a big conversation can push is bounded: a stream client that stops reading
// during history replay is dropped at the slow-consumer bound; the events answer is written as the
// client reads it; the audit page shows one page of lines with a way to every earlier revision.
import { connect, type Socket } from "node:net";
import { get as httpGet, type IncomingMessage, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { giveawayStream } from "../../src/domain/streams.ts";
import { metrics } from "../../src/observability/metrics.ts";
import { drawnGiveaway, type Conversation } from "../http/apiFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

const boundBytes = 64 * 1024;
let server: TestServer;
let talk: Conversation;
/** Far more than the loopback socket buffers take (about 4 MiB here) plus the bound. */
const historyMessages = 5000;
const content = (i: number) => `${i} ${"m".repeat(1990)}`;

/** Messages appended straight to the store in batches: a long conversation in seconds. */
async function appendMessages(from: number, count: number, senderId: string) {
  for (let start = from; start < from + count; start += 500) {
    const batch = Array.from({ length: Math.min(500, from + count - start) }, (_, k) => {
      const messageId = server.handoff.newId();
      return { id: messageId, type: "MessageSent", data: { messageId, senderId, content: content(start + k), sentAt: new Date().toISOString() } };
    });
    await server.handoff.store.appendToStream(giveawayStream(talk.giveawayId), batch);
  }
}

beforeAll(async () => {
  server = await startTestServer({ env: { SSE_MAX_QUEUED_BYTES: String(boundBytes) } });
  talk = await drawnGiveaway(server);
  await appendMessages(0, historyMessages, talk.giver.id);
  await vi.waitFor(
    () => {
      if (server.handoff.queries.latestMessages(talk.giveawayId, 1)[0]?.content?.split(" ")[0] !== String(historyMessages - 1)) throw new Error("not projected yet");
    },
    { timeout: 60_000, interval: 100 },
  );
}, 120_000);
afterAll(async () => server?.close());

/** A client that sends its request and then never reads. */
function stalledClient(path: string): Promise<Socket> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${talk.winner.auth.Authorization}\r\nAccept: */*\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on("error", reject);
  });
}

/** The server side of the next request to `pathPart`. */
function captureResponse(pathPart: string): Promise<ServerResponse> {
  return new Promise((resolve) => {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      if (!req.url?.includes(pathPart)) return;
      server.server.off("request", listener);
      resolve(res);
    };
    server.server.on("request", listener);
  });
}

const dropped = async () => (await metrics.slowConsumersDropped.get()).values.find((v) => v.labels.kind === "api_conversation")?.value ?? 0;

describe("bounded memory", () => {
  it("drops a stream client that stops reading during history replay once live messages pass the bound", { timeout: 120_000 }, async () => {
    const droppedBefore = await dropped();
    const connectionsBefore = server.handoff.hub.connectionCount();
    const socket = await stalledClient(`/api/giveaways/${talk.giveawayId}/stream?after=-1`);
    try {
      await expect.poll(() => server.handoff.hub.connectionCount(), { timeout: 30_000 }).toBe(connectionsBefore + 1);
      // Live messages while its replay waits for it: held back for it, up to the bound (64 KiB ≈ 30 of these).
      let sent = 0;
      while (server.handoff.hub.connectionCount() > connectionsBefore && sent < 400) {
        await appendMessages(historyMessages + sent, 10, talk.winner.id);
        sent += 10;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await expect.poll(() => server.handoff.hub.connectionCount(), { timeout: 30_000 }).toBe(connectionsBefore);
      expect(await dropped()).toBe(droppedBefore + 1);
    } finally {
      socket.destroy();
    }
  });

  for (const format of ["json", "ndjson"] as const) {
    it(`writes the events answer (${format}) as the client reads it: the server holds a bounded number of bytes for it`, { timeout: 120_000 }, async () => {
      const response = captureResponse("/events");
      const socket = await stalledClient(`/api/giveaways/${talk.giveawayId}/events?format=${format}`);
      try {
        const res = await response;
        // Wait until the socket is full and the server has stopped writing.
        let last = -1;
        await expect
          .poll(
            () => {
              const now = res.writableLength;
              const steady = now === last && res.writableNeedDrain;
              last = now;
              return steady || res.writableEnded;
            },
            { timeout: 60_000, interval: 200 },
          )
          .toBe(true);
        // The whole answer is over 10 MB; what waits in the server is one write past the socket's high-water mark.
        expect(res.writableEnded).toBe(false);
        expect(res.writableLength).toBeLessThan(64 * 1024);
      } finally {
        socket.destroy();
      }
    });
  }

  it("still answers the whole events stream to a client that reads", { timeout: 120_000 }, async () => {
    const body = await new Promise<string>((resolve, reject) => {
      httpGet(`${server.url}/api/giveaways/${talk.giveawayId}/events`, { headers: talk.winner.auth }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve(text));
      }).on("error", reject);
    });
    const parsed = JSON.parse(body) as { events: { revision: number }[] };
    expect(parsed.events.length).toBeGreaterThanOrEqual(historyMessages + 3);
    expect(parsed.events.map((e) => e.revision)).toEqual(parsed.events.map((_, i) => i));
  });

  it("shows the audit one page of lines at a time, with a link to the page before, down to revision 0", { timeout: 120_000 }, async () => {
    const cookie = `handoff_session=${talk.winner.token}`;
    const page = async (query: string) => {
      const response = await fetch(`${server.url}/giveaways/${talk.giveawayId}/audit${query}`, { headers: { cookie } });
      expect(response.status).toBe(200);
      const html = await response.text();
      const revisions = [...html.matchAll(/data-revision="(\d+)"/g)].map((m) => Number(m[1]));
      const earlier = /<p class="earlier"><a href="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
      return { html, revisions, earlier };
    };
    const latest = await page("");
    expect(latest.revisions).toHaveLength(100);
    expect(latest.html.length).toBeLessThan(400_000); // one page, not the 10 MB conversation
    const head = latest.revisions[99]!;
    expect(latest.revisions[0]).toBe(head - 99);
    expect(latest.earlier).toBe(`/giveaways/${talk.giveawayId}/audit?revision=${head - 100}`);

    const before = await page(`?revision=${head - 100}`);
    expect(before.revisions).toEqual(Array.from({ length: 100 }, (_, i) => head - 199 + i));
    // Any revision is one form away: the first page has no earlier link.
    const first = await page("?revision=42");
    expect(first.revisions).toEqual(Array.from({ length: 43 }, (_, i) => i));
    expect(first.earlier).toBeUndefined();
  });
});

// The limit: what the runtime itself can do. A minimal node:http server with no framework and no
// store: an SSE broadcaster (POST /publish writes one frame to every open GET /stream), a raw POST
// handler that stores nothing (POST /messages), and replay of in-memory frames after Last-Event-ID.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { baselineMessage, seededContent } from "../lib/benchMessage.ts";
import { serveParent } from "../lib/childProcess.ts";
import { readBody, sendJson } from "./bareHttp.ts";

const streams = new Set<ServerResponse>();
/** Frames by id (1-based): the replay buffer. Bounded so a long run cannot grow it forever. */
const frames: string[] = [];
const maxFrames = 50_000;
let firstId = 1;
let lastId = 0;

function frameFor(id: number, message: unknown): string {
  return `id: ${id}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`;
}

function append(content: string): number {
  lastId += 1;
  frames.push(frameFor(lastId, baselineMessage(randomUUID(), lastId, content)));
  if (frames.length > maxFrames) {
    frames.shift();
    firstId += 1;
  }
  return lastId;
}



function openStream(req: IncomingMessage, res: ServerResponse, url: URL) {
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
  req.socket.setNoDelay(true);
  const after = Number(req.headers["last-event-id"] ?? url.searchParams.get("after") ?? lastId);
  // Replay what the client missed in one write, then follow live.
  if (after < lastId) res.write(frames.slice(Math.max(0, after + 1 - firstId)).join(""));
  else res.write(": open\n\n");
  streams.add(res);
  res.on("close", () => streams.delete(res));
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  try {
    if (req.method === "GET" && url.pathname === "/stream") return openStream(req, res, url);
    if (req.method === "POST" && url.pathname === "/publish") {
      const { content } = JSON.parse(await readBody(req)) as { content: string };
      const id = append(content);
      const frame = frames[frames.length - 1]!;
      for (const stream of streams) stream.write(frame);
      return sendJson(res, 201, { id });
    }
    if (req.method === "POST" && url.pathname === "/messages") {
      // Parses and answers like an API would, and stores nothing.
      const { content } = JSON.parse(await readBody(req)) as { content: string };
      return sendJson(res, 201, baselineMessage(randomUUID(), lastId + 1, content));
    }
    if (req.method === "GET" && url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    sendJson(res, 404, { error: "not found" });
  } catch (error) {
    sendJson(res, 400, { error: String(error) });
  }
});
server.keepAliveTimeout = 60_000;

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  serveParent(
    {
      seed: ({ count }: { count: number }) => {
        for (let i = 0; i < count; i++) append(seededContent(i));
        return { lastId };
      },
      connections: () => streams.size,
    },
    { url: `http://127.0.0.1:${port}` },
    () => {
      server.closeAllConnections();
      server.close();
    },
  );
});

// The durable limit: what the runtime can do when every message must be on disk before it is
// acknowledged. Bare node:http (no framework, no auth, no domain) + better-sqlite3 appending each
// message to one table, WAL, synchronous=FULL (STORE_DURABILITY=normal: NORMAL, as handoff's store),
// and group commit: appends arriving in the same event-loop turn share one transaction, flushed on
// setImmediate. POST /messages answers after the commit; POST /publish commits, answers, then writes
// the frame to every open GET /stream (the order issue #12 asks of handoff); a stream opened with
// Last-Event-ID is replayed from the table. Started with its data dir as the argument.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import { baselineMessage, seededContent, type BaselineMessage } from "../lib/benchMessage.ts";
import { serveParent } from "../lib/childProcess.ts";
import { readBody, sendJsonText } from "./bareHttp.ts";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: durableLimitServer.ts <dataDir>");
const durability = process.env.STORE_DURABILITY === "normal" ? "NORMAL" : "FULL";

const db = new Database(join(dataDir, "messages.db"));
db.pragma("journal_mode = WAL");
db.pragma(`synchronous = ${durability}`);
db.exec("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, data TEXT NOT NULL)");
const insert = db.prepare<[number, string]>("INSERT INTO messages (id, data) VALUES (?, ?)");
const readAfter = db.prepare<[number], { id: number; data: string }>("SELECT id, data FROM messages WHERE id > ? ORDER BY id");
let lastId = (db.prepare<[], { id: number | null }>("SELECT max(id) AS id FROM messages").get()?.id ?? 0) as number;

interface Pending {
  id: number;
  data: string;
  done: (error?: Error) => void;
}
let pending: Pending[] = [];

const commitBatch = db.transaction((batch: Pending[]) => {
  for (const item of batch) insert.run(item.id, item.data);
});

/** One transaction (one fsync) for every append of this turn; each caller resumes after it. */
function flush() {
  const batch = pending;
  pending = [];
  try {
    commitBatch(batch);
    for (const item of batch) item.done();
  } catch (error) {
    for (const item of batch) item.done(error as Error);
  }
}

function appendDurably(content: string): Promise<{ message: BaselineMessage; data: string }> {
  lastId += 1;
  const message = baselineMessage(randomUUID(), lastId, content);
  const data = JSON.stringify(message);
  if (pending.length === 0) setImmediate(flush);
  return new Promise((resolve, reject) => pending.push({ id: lastId, data, done: (error) => (error ? reject(error) : resolve({ message, data })) }));
}

const streams = new Set<ServerResponse>();

function frameFor(id: number, data: string): string {
  return `id: ${id}\nevent: message\ndata: ${data}\n\n`;
}



function openStream(req: IncomingMessage, res: ServerResponse, url: URL) {
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
  req.socket.setNoDelay(true);
  const after = Number(req.headers["last-event-id"] ?? url.searchParams.get("after") ?? lastId);
  // Replay what the client missed from the table in one write, then follow live.
  if (after < lastId) res.write(readAfter.all(after).map((row) => frameFor(row.id, row.data)).join(""));
  else res.write(": open\n\n");
  streams.add(res);
  res.on("close", () => streams.delete(res));
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  try {
    if (req.method === "GET" && url.pathname === "/stream") return openStream(req, res, url);
    if (req.method === "POST" && (url.pathname === "/messages" || url.pathname === "/publish")) {
      const { content } = JSON.parse(await readBody(req)) as { content: string };
      const { message, data } = await appendDurably(content);
      sendJsonText(res, 201, data);
      if (url.pathname === "/publish") {
        const frame = frameFor(message.revision, data);
        for (const stream of streams) stream.write(frame);
      }
      return;
    }
    if (req.method === "GET" && url.pathname === "/healthz") return sendJsonText(res, 200, JSON.stringify({ status: "ok" }));
    sendJsonText(res, 404, JSON.stringify({ error: "not found" }));
  } catch (error) {
    sendJsonText(res, 400, JSON.stringify({ error: String(error) }));
  }
});
server.keepAliveTimeout = 60_000;

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  serveParent(
    {
      seed: ({ count }: { count: number }) => {
        const rows: Pending[] = [];
        for (let i = 0; i < count; i++) {
          lastId += 1;
          rows.push({ id: lastId, data: JSON.stringify(baselineMessage(randomUUID(), lastId, seededContent(i))), done: () => {} });
        }
        commitBatch(rows);
        return { lastId };
      },
      connections: () => streams.size,
    },
    { url: `http://127.0.0.1:${port}`, durability },
    () => {
      server.closeAllConnections();
      server.close();
      db.close();
    },
  );
});

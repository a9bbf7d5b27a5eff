// Probe server (not a figure): the same SSE stream and JSON POST served three ways, to separate
// what express costs from what handoff costs. Streams by path: /raw (plain node:http), /express
// (an express route), /nested (behind two routers, as handoff's /api), /reparented (plain
// node:http, but the response re-parented to a shared prototype as express does).
import express from "express";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { baselineMessage } from "../lib/benchMessage.ts";
import { serveParent } from "../lib/childProcess.ts";

type Group = "raw" | "express" | "nested" | "reparented";
const groups: Record<Group, ServerResponse[]> = { raw: [], express: [], nested: [], reparented: [] };
const sharedRequest = Object.create(IncomingMessage.prototype) as object;
const sharedResponse = Object.create(ServerResponse.prototype) as object;

function openStream(group: Group, req: IncomingMessage, res: ServerResponse) {
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
  req.socket.setNoDelay(true);
  res.write(": open\n\n");
  groups[group].push(res);
  res.on("close", () => groups[group].splice(groups[group].indexOf(res), 1));
}

const app = express();
app.get("/express", (req, res) => openStream("express", req, res));
const api = express.Router();
const inner = express.Router();
api.use(express.json({ limit: "16kb" }));
inner.get("/nested", (req, res) => openStream("nested", req, res));
inner.post("/giveaways/:id/messages", (req, res) => {
  res.status(201).json(baselineMessage(String(req.params.id), 1, String((req.body as { content?: unknown }).content)));
});
api.use(inner);
app.use("/api", api);

const server = createServer((req, res) => {
  if (req.url === "/raw") return openStream("raw", req, res);
  if (req.url === "/reparented") {
    Object.setPrototypeOf(req, sharedRequest);
    Object.setPrototypeOf(res, sharedResponse);
    return openStream("reparented", req, res);
  }
  app(req, res);
});

const frame = `id: 1\nevent: message\ndata: ${JSON.stringify(baselineMessage("5d1f7c43-2b8e-4d0a-a6c4-3e9b7a2f8c55", 1, "hello"))}\n\n`;

server.listen(0, "127.0.0.1", () => {
  serveParent(
    {
      /** One frame to every stream of a group; CPU ms including the flush of the writes. */
      broadcast: ({ group }: { group: Group }) =>
        new Promise<number>((resolve) => {
          const before = process.cpuUsage();
          for (const res of groups[group]) res.write(frame);
          setImmediate(() => {
            const used = process.cpuUsage(before);
            resolve((used.user + used.system) / 1000);
          });
        }),
    },
    { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
  );
});

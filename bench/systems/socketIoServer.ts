// The earlier stack: a small Socket.IO server. Subscribers join a conversation's room; a send is
// an emit with an acknowledgement, broadcast to the room; a reconnecting subscriber that says
// which id it has gets the buffered messages after it in one emit (an array). In-memory only.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { randomUUID } from "node:crypto";
import { baselineMessage, seededContent, type BaselineMessage } from "../lib/benchMessage.ts";
import { serveParent } from "../lib/childProcess.ts";

type Message = BaselineMessage;

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 1e6 });
const buffered: Message[] = [];
const maxBuffered = 50_000;
let lastId = 0;

function append(content: string): Message {
  lastId += 1;
  const message = baselineMessage(randomUUID(), lastId, content);
  buffered.push(message);
  if (buffered.length > maxBuffered) buffered.shift();
  return message;
}

io.on("connection", (socket) => {
  const auth = socket.handshake.auth as { role?: string; room?: string; after?: number };
  const room = auth.room ?? "conversation";
  if (auth.role === "subscriber") {
    socket.join(room);
    if (typeof auth.after === "number") {
      // Everything missed in one emit, as a fair peer would (one frame, one serialisation).
      const firstId = buffered[0]?.revision ?? lastId + 1;
      const missed = buffered.slice(Math.max(0, auth.after + 1 - firstId));
      if (missed.length > 0) socket.emit("messages", missed);
    }
    socket.emit("joined");
  }
  socket.on("send", (payload: { content: string }, ack: (reply: unknown) => void) => {
    const message = append(payload.content);
    io.to(room).emit("message", message);
    ack(message);
  });
  // Throughput: answered like a send, broadcast to the sender's room (nobody else in it), stored nowhere.
  socket.on("post", (payload: { content: string }, ack: (reply: unknown) => void) => {
    const message = baselineMessage(randomUUID(), lastId + 1, payload.content);
    socket.to(room).emit("message", message);
    ack(message);
  });
});

httpServer.listen(0, "127.0.0.1", () => {
  const { port } = httpServer.address() as AddressInfo;
  serveParent(
    {
      seed: ({ count }: { count: number }) => {
        for (let i = 0; i < count; i++) append(seededContent(i));
        return { lastId };
      },
      connections: () => io.engine.clientsCount,
    },
    { url: `http://127.0.0.1:${port}` },
    () => {
      io.disconnectSockets(true);
      httpServer.closeAllConnections();
      io.close();
    },
  );
});

// Driver: holds many subscriber connections in one process and times every bench message they get.
// Requests: open (connect `count` more), start (reset, begin timing), collect (latency samples), close.
import { io, type Socket } from "socket.io-client";
import { serveParent } from "../lib/childProcess.ts";
import { wallNow } from "../lib/clock.ts";
import { readBenchContent } from "../lib/benchMessage.ts";
import { openSse, type SseHandle as SseConnection } from "../../test/support/sseClient.ts";
import type { SubscriberTarget } from "./targets.ts";

const openConcurrency = 200;
const connections: { close(): void }[] = [];
let failures: string[] = [];

interface Timing {
  /** Orchestrator clock correction: sender's offset minus ours. */
  correction: number;
  warmup: number;
  latencies: number[];
  received: number;
}
let timing: Timing | undefined;

function onBenchText(text: string, receivedAt: number) {
  if (!timing) return;
  const bench = readBenchContent(text);
  if (!bench) return;
  timing.received += 1;
  if (bench.seq >= timing.warmup) timing.latencies.push(receivedAt - bench.sentAt + timing.correction);
}

function connectSse(target: Extract<SubscriberTarget, { kind: "sse" }>, index: number): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const connection = openSse({
      url: target.url,
      headers: target.headers[index % target.headers.length],
      now: wallNow,
      onOpen: () => resolve(connection),
      onFrame: (frame, receivedAt) => {
        if (frame.event === undefined || frame.event === "message") onBenchText(frame.data, receivedAt);
      },
      onFailure: (error) => {
        failures.push(error.message);
        reject(error);
      },
    });
  });
}

function connectSocketIo(target: Extract<SubscriberTarget, { kind: "socketio" }>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(target.url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { role: "subscriber", room: target.room } });
    socket.on("message", (message: { content: string }) => onBenchText(message.content, wallNow()));
    socket.once("joined", () => resolve(socket));
    socket.once("connect_error", (error) => {
      failures.push(error.message);
      reject(error);
    });
    socket.on("disconnect", (reason) => {
      if (reason !== "io client disconnect") failures.push(`socket.io disconnect: ${reason}`);
    });
  });
}

async function open({ target, count }: { target: SubscriberTarget; count: number }) {
  failures = [];
  let next = 0;
  const opener = async () => {
    while (next < count) {
      const index = next++;
      const connection = target.kind === "sse" ? await connectSse(target, index) : await connectSocketIo(target);
      connections.push(target.kind === "sse" ? connection : { close: () => (connection as Socket).disconnect() });
    }
  };
  await Promise.all(Array.from({ length: Math.min(openConcurrency, count) }, opener));
  return { open: connections.length };
}

serveParent({
  open,
  start: ({ correction, warmup }: { correction: number; warmup: number }) => {
    timing = { correction, warmup, latencies: [], received: 0 };
    return true;
  },
  progress: () => timing?.received ?? 0,
  collect: () => {
    const result = { latencies: Float64Array.from(timing?.latencies ?? []), received: timing?.received ?? 0, failures: failures.slice(0, 5), failureCount: failures.length };
    timing = undefined;
    return result;
  },
  close: () => {
    for (const connection of connections.splice(0)) connection.close();
    return true;
  },
});

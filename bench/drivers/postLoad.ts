// Driver: closed-loop load. `concurrency` loops each send, wait for the answer, and send again,
// for a fixed time; answers in the warm-up are not counted. Keep-alive connections (HTTP) or one
// socket per loop (Socket.IO), all opened before the clock starts.
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import { serveParent } from "../lib/childProcess.ts";
import { wallNow } from "../lib/clock.ts";
import { keepAliveAgent, postJson } from "../lib/httpPost.ts";
import type { SenderTarget } from "./targets.ts";

export interface LoadResult {
  /** Accepted answers inside the measured window. */
  accepted: number;
  failed: number;
  seconds: number;
  latencies: Float64Array;
  errors: string[];
}

function connect(url: string, room: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { role: "sender", room } });
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function run({ targets, concurrency, durationMs, warmupMs }: { targets: SenderTarget[]; concurrency: number; durationMs: number; warmupMs: number }): Promise<LoadResult> {
  const agent = keepAliveAgent(concurrency);
  // Loop i starts on target i and moves on by `concurrency`: no two loops share a target at once
  // while there are at least as many targets as loops (handoff: one conversation per loop).
  const sockets = await Promise.all(
    Array.from({ length: concurrency }, (_, i) => {
      const target = targets[i % targets.length]!;
      return target.kind === "socketio" ? connect(target.url, target.room) : undefined;
    }),
  );
  const started = wallNow();
  const measureFrom = started + warmupMs;
  const stopAt = measureFrom + durationMs;
  const latencies: number[] = [];
  const errors: string[] = [];
  let accepted = 0;
  let failed = 0;

  async function sendOne(target: SenderTarget, socket: Socket | undefined, seq: number): Promise<void> {
    const content = `load message ${seq}: is Thursday after six still good for the pickup?`;
    if (target.kind === "socketio") {
      await new Promise<void>((resolve, reject) =>
        socket!.timeout(30_000).emit(target.event, { content }, (error: Error | null) => (error ? reject(error) : resolve())),
      );
      return;
    }
    const result = await postJson(agent, target.url, target.headers, target.withId ? { content, id: randomUUID() } : { content });
    if (result.status !== 201) throw new Error(`${result.status} ${result.body.slice(0, 200)}`);
  }

  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      let seq = 0;
      while (wallNow() < stopAt) {
        const target = targets[(loop + seq * concurrency) % targets.length]!;
        const socket = target.kind === "socketio" ? sockets[loop] : undefined;
        const sentAt = wallNow();
        try {
          await sendOne(target, socket, seq);
          const answeredAt = wallNow();
          // Answers that land in the window count (the rate); their round trips are the latencies.
          if (answeredAt >= measureFrom && answeredAt <= stopAt) {
            accepted += 1;
            latencies.push(answeredAt - sentAt);
          }
        } catch (error) {
          failed += 1;
          if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
        }
        seq += 1;
      }
    }),
  );
  for (const socket of sockets) socket?.disconnect();
  agent.destroy();
  return { accepted, failed, seconds: durationMs / 1000, latencies: Float64Array.from(latencies), errors };
}

serveParent({ run });

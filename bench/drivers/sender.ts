// Driver: sends the fan-out's messages on a fixed schedule (open loop: a slow answer does not
// delay the next send), each carrying its sequence number and send time.
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import { serveParent } from "../lib/childProcess.ts";
import { sleepUntil, wallNow } from "../lib/clock.ts";
import { benchContent } from "../lib/benchMessage.ts";
import { keepAliveAgent, postJson } from "../lib/httpPost.ts";
import type { SenderTarget } from "./targets.ts";

const agent = keepAliveAgent(64);
let socket: Socket | undefined;

function connect(url: string, room: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { role: "sender", room } });
    s.once("connect", () => resolve(s));
    s.once("connect_error", reject);
  });
}

function sendOne(target: SenderTarget, seq: number): Promise<void> {
  const content = benchContent(seq, wallNow());
  if (target.kind === "socketio") {
    return new Promise((resolve, reject) => {
      socket!.timeout(30_000).emit(target.event, { content }, (error: Error | null) => (error ? reject(error) : resolve()));
    });
  }
  const body = target.withId ? { content, id: randomUUID() } : { content };
  return postJson(agent, target.url, target.headers, body).then((result) => {
    if (result.status !== 201) throw new Error(`POST ${target.url}: ${result.status} ${result.body.slice(0, 200)}`);
  });
}

serveParent({
  async send({ target, count, intervalMs }: { target: SenderTarget; count: number; intervalMs: number }) {
    if (target.kind === "socketio") socket ??= await connect(target.url, target.room);
    const started = wallNow();
    const answers: Promise<number>[] = [];
    const errors: string[] = [];
    for (let seq = 0; seq < count; seq++) {
      await sleepUntil(started + seq * intervalMs);
      const sentAt = wallNow();
      answers.push(sendOne(target, seq).then(() => wallNow() - sentAt, (error: Error) => (errors.push(error.message), NaN)));
    }
    const answered = await Promise.all(answers);
    return { answerMs: Float64Array.from(answered.filter((ms) => !Number.isNaN(ms))), errors: errors.slice(0, 5), errorCount: errors.length, durationMs: wallNow() - started };
  },
});

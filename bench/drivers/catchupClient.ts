// Driver: one client reconnecting after missing messages; how long until it has them all.
import { io } from "socket.io-client";
import { serveParent } from "../lib/childProcess.ts";
import { wallNow } from "../lib/clock.ts";
import { openSse } from "../../test/support/sseClient.ts";

export type CatchupTarget =
  | { kind: "sse"; url: string; headers: Record<string, string>; lastEventId: number }
  | { kind: "socketio"; url: string; room: string; after: number };

export interface CatchupResult {
  ms: number;
  received: number;
  /** Times the server dropped the stream and the client came back, as EventSource does. */
  reconnects: number;
  /** Revision (id) of the last message received: must be the newest. */
  lastId: number;
}

function catchUp({ target, expect, timeoutMs }: { target: CatchupTarget; expect: number; timeoutMs: number }): Promise<CatchupResult> {
  return new Promise((resolve, reject) => {
    const started = wallNow();
    let received = 0;
    let lastId = -1;
    let reconnects = 0;
    let finish = () => {};
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`caught up ${received} of ${expect} in ${timeoutMs} ms`));
    }, timeoutMs);
    const count = (id: number, at: number) => {
      received += 1;
      lastId = id;
      if (received === expect) {
        clearTimeout(timer);
        finish();
        resolve({ ms: at - started, received, lastId, reconnects });
      }
    };
    if (target.kind === "sse") {
      let retryMs = 3000; // EventSource's default until the server says otherwise
      let done = false;
      const connect = (lastEventId: number) => {
        const connection = openSse({
          url: target.url,
          headers: { ...target.headers, "Last-Event-ID": String(lastEventId) },
          now: wallNow,
          onRetry: (ms) => (retryMs = ms),
          onFrame: (frame, at) => {
            if (frame.event === "message") count(Number(frame.id), at);
          },
          onFailure: (error) => {
            if (done) return;
            // Dropped mid-way: come back from the last id received, after the server's retry hint.
            if (received > 0 && /closed|ended/.test(error.message)) {
              reconnects += 1;
              setTimeout(() => connect(lastId), retryMs);
              return;
            }
            clearTimeout(timer);
            reject(error);
          },
        });
        finish = () => {
          done = true;
          connection.close();
        };
      };
      connect(target.lastEventId);
    } else {
      const socket = io(target.url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { role: "subscriber", room: target.room, after: target.after } });
      socket.on("message", (message: { revision: number }) => count(message.revision, wallNow()));
      socket.on("messages", (batch: { revision: number }[]) => {
        const at = wallNow();
        for (const message of batch) count(message.revision, at);
      });
      socket.once("connect_error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      finish = () => socket.disconnect();
    }
  });
}

serveParent({ catchUp });

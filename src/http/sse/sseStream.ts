// One Server-Sent Events response: frames, heartbeat comments, a retry hint, and a bounded send queue.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OpenStreams } from "../../live/openStreams.ts";
import { metrics } from "../../observability/metrics.ts";

export interface SseFrame {
  id?: string | number;
  event?: string;
  data: string;
}

export interface SseStreamOptions {
  heartbeatMs: number;
  /** Unsent bytes allowed to pile up for a client that stops reading; past it the client is dropped. */
  maxQueuedBytes: number;
  retryMs?: number;
  /** When the credentials the stream was opened with expire, the stream ends. */
  endsAt?: Date;
  /** The metrics label (api_conversation, api_notifications, page_chat, page_notifications). */
  kind?: string;
  /** Where a shutdown finds the stream to send it its last frame. */
  registry?: OpenStreams;
}

export interface SseStream {
  send(frame: SseFrame): void;
  /** Bytes written but not yet taken by the client. */
  queuedBytes(): number;
  /** Drops a client that fell too far behind (it resumes by Last-Event-ID). */
  drop(): void;
  /** Resolves once the client has taken what is queued (or the stream closed). */
  drained(): Promise<void>;
  onClose(listener: () => void): void;
  /** Sends a final `event: expired` with the reason, then closes. */
  expire(reason: string): void;
  close(): void;
}

/**
 * The client is gone: node marks the response destroyed only once the socket's close event comes,
 * but a connection its HTTP parser refused (a 400 for bytes that cannot follow the request) is
 * destroyed at once. A stream opened then would announce presence for nobody.
 */
export function clientGone(req: IncomingMessage, res: ServerResponse): boolean {
  return res.destroyed || req.socket.destroyed;
}

export function formatSseFrame(frame: SseFrame): string {
  let text = "";
  if (frame.id !== undefined) text += `id: ${frame.id}\n`;
  if (frame.event) text += `event: ${frame.event}\n`;
  for (const line of frame.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/**
 * A frame the caller sends to many streams (one message, every subscriber) is formatted and
 * encoded once: per connection, only the write is left.
 */
const encodedFrames = new WeakMap<SseFrame, Buffer>();

function encodeFrame(frame: SseFrame): Buffer {
  let bytes = encodedFrames.get(frame);
  if (!bytes) {
    bytes = Buffer.from(formatSseFrame(frame));
    encodedFrames.set(frame, bytes);
  }
  return bytes;
}

/**
 * One interval per heartbeat period beats every open stream: a timer per connection would cost
 * memory and timer-list work for each of thousands of idle streams.
 */
const heartbeats = new Map<number, { timer: NodeJS.Timeout; beats: Set<() => void> }>();

function joinHeartbeat(periodMs: number, beat: () => void): () => void {
  let ticker = heartbeats.get(periodMs);
  if (!ticker) {
    const beats = new Set<() => void>();
    const timer = setInterval(() => {
      for (const each of beats) each();
    }, periodMs);
    timer.unref();
    ticker = { timer, beats };
    heartbeats.set(periodMs, ticker);
  }
  const joined = ticker;
  joined.beats.add(beat);
  return () => {
    joined.beats.delete(beat);
    if (joined.beats.size === 0 && heartbeats.get(periodMs) === joined) {
      clearInterval(joined.timer);
      heartbeats.delete(periodMs);
    }
  };
}

const heartbeatComment = Buffer.from(": heartbeat\n\n");

export function openSseStream(req: IncomingMessage, res: ServerResponse, options: SseStreamOptions): SseStream {
  res.statusCode = 200;
  res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
  res.setHeader("Cache-Control", "no-cache, no-transform");
  res.setHeader("Connection", "keep-alive");
  res.setHeader("X-Accel-Buffering", "no");
  res.flushHeaders();
  req.socket.setNoDelay(true);

  const kind = options.kind ?? "other";
  const delivered = metrics.deliveries.labels({ kind });
  metrics.openStreams.inc({ kind });
  const closeListeners: (() => void)[] = [];
  let closed = false;
  let expiry: NodeJS.Timeout | undefined;
  let leaveHeartbeat = () => {};
  let leaveRegistry = () => {};

  const close = () => {
    if (closed) return;
    closed = true;
    metrics.openStreams.dec({ kind });
    leaveHeartbeat();
    leaveRegistry();
    clearTimeout(expiry);
    for (const listener of closeListeners.splice(0)) {
      try {
        listener();
      } catch {
        // one listener's failure must not keep the others (or the socket) alive
      }
    }
    if (!res.writableEnded && !res.destroyed) res.end();
  };

  const drop = () => {
    if (closed) return;
    metrics.slowConsumersDropped.inc({ kind });
    close();
    res.destroy();
  };

  const write = (text: string | Buffer) => {
    // Never write to an ended response: node would raise the error on a later tick, where nothing catches it.
    if (closed || res.writableEnded || res.destroyed) return;
    // A client that does not read would grow this queue without bound: drop it; it resumes by Last-Event-ID.
    if (res.writableLength > options.maxQueuedBytes) return drop();
    res.write(text);
  };

  write(`retry: ${options.retryMs ?? 2000}\n\n`);
  if (!closed) leaveHeartbeat = joinHeartbeat(options.heartbeatMs, () => write(heartbeatComment));
  const expire = (reason: string) => {
    write(formatSseFrame({ event: "expired", data: reason }));
    close();
  };
  if (options.endsAt) {
    const remaining = Math.max(0, options.endsAt.getTime() - Date.now());
    // setTimeout holds at most ~24.8 days; a longer-lived token outlives the timer, which is fine.
    if (remaining < 2 ** 31 - 1) {
      expiry = setTimeout(() => expire("the token this stream was opened with has expired"), remaining);
    }
  }
  res.on("close", close);
  // A socket error after the client left is expected; without a listener it would end the process.
  res.on("error", close);
  if (options.registry && !closed) {
    leaveRegistry = options.registry.add({
      shutdown(retryMs) {
        write(`retry: ${retryMs}\nevent: shutdown\ndata: the server is restarting: reconnect\n\n`);
        close();
      },
    });
  }

  return {
    send(frame) {
      if (closed) return;
      delivered.inc();
      write(encodeFrame(frame));
    },
    queuedBytes: () => res.writableLength,
    drop,
    drained() {
      if (closed || !res.writableNeedDrain) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.on("drain", done);
        res.on("close", done);
      });
    },
    onClose(listener) {
      if (closed) listener();
      else closeListeners.push(listener);
    },
    expire,
    close,
  };
}

// One Server-Sent Events response: frames, heartbeat comments, a retry hint, and a bounded send queue.
import type { IncomingMessage, ServerResponse } from "node:http";

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
}

export interface SseStream {
  send(frame: SseFrame): void;
  /** Resolves once the client has taken what is queued (or the stream closed). */
  drained(): Promise<void>;
  readonly closed: boolean;
  onClose(listener: () => void): void;
  /** Sends a final `event: expired` with the reason, then closes. */
  expire(reason: string): void;
  close(): void;
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

  const closeListeners: (() => void)[] = [];
  let closed = false;
  let expiry: NodeJS.Timeout | undefined;
  let leaveHeartbeat = () => {};

  const close = () => {
    if (closed) return;
    closed = true;
    leaveHeartbeat();
    clearTimeout(expiry);
    for (const listener of closeListeners.splice(0)) listener();
    res.end();
  };

  const write = (text: string | Buffer) => {
    if (closed) return;
    // A client that does not read would grow this queue without bound: drop it; it resumes by Last-Event-ID.
    if (res.writableLength > options.maxQueuedBytes) {
      close();
      res.destroy();
      return;
    }
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

  return {
    send: (frame) => write(encodeFrame(frame)),
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
    get closed() {
      return closed;
    },
    onClose(listener) {
      if (closed) listener();
      else closeListeners.push(listener);
    },
    expire,
    close,
  };
}

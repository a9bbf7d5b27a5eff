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
  /** The slow-consumer bound it was opened with (unsent bytes past which the client is dropped). */
  readonly maxQueuedBytes: number;
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
interface Beating {
  beat(): void;
}
type Ticker = { timer: NodeJS.Timeout; beats: Set<Beating> };
const heartbeats = new Map<number, Ticker>();

/** Joins the ticker of the period; returns it, for leaving (no closure per stream). */
function joinHeartbeat(periodMs: number, stream: Beating): Ticker {
  let ticker = heartbeats.get(periodMs);
  if (!ticker) {
    const beats = new Set<Beating>();
    const timer = setInterval(() => {
      for (const each of beats) each.beat();
    }, periodMs);
    timer.unref();
    ticker = { timer, beats };
    heartbeats.set(periodMs, ticker);
  }
  ticker.beats.add(stream);
  return ticker;
}

function leaveHeartbeat(ticker: Ticker, stream: Beating): void {
  ticker.beats.delete(stream);
  if (ticker.beats.size > 0) return;
  clearInterval(ticker.timer);
  for (const [periodMs, each] of heartbeats) if (each === ticker) heartbeats.delete(periodMs);
}

const heartbeatComment = Buffer.from(": heartbeat\n\n");

export function openSseStream(req: IncomingMessage, res: ServerResponse, options: SseStreamOptions): SseStream {
  return new ResponseStream(req, res, options);
}

/**
 * One object per open stream, its methods on the prototype: thousands of idle streams each holding a
 * dozen closures (and their contexts) cost more memory than the stream itself.
 */
class ResponseStream implements SseStream {
  readonly #res: ServerResponse;
  readonly #kind: string;
  readonly maxQueuedBytes: number;
  readonly #delivered: { inc(): void };
  #closeListeners: (() => void)[] = [];
  #closed = false;
  #expiry: NodeJS.Timeout | undefined;
  #heartbeat: Ticker | undefined;
  readonly #registry: OpenStreams | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, options: SseStreamOptions) {
    this.#res = res;
    this.#kind = options.kind ?? "other";
    this.maxQueuedBytes = options.maxQueuedBytes;
    res.statusCode = 200;
    res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    res.setHeader("Cache-Control", "no-cache, no-transform");
    res.setHeader("Connection", "keep-alive");
    res.setHeader("X-Accel-Buffering", "no");
    res.flushHeaders();
    req.socket.setNoDelay(true);

    this.#delivered = metrics.deliveries.labels({ kind: this.#kind });
    metrics.openStreams.inc({ kind: this.#kind });

    this.#write(`retry: ${options.retryMs ?? 2000}\n\n`);
    if (!this.#closed) this.#heartbeat = joinHeartbeat(options.heartbeatMs, this);
    if (options.endsAt) {
      const remaining = Math.max(0, options.endsAt.getTime() - Date.now());
      // setTimeout holds at most ~24.8 days; a longer-lived token outlives the timer, which is fine.
      if (remaining < 2 ** 31 - 1) {
        this.#expiry = setTimeout(() => this.expire("the token this stream was opened with has expired"), remaining);
      }
    }
    const close = () => this.close();
    res.on("close", close);
    // A socket error after the client left is expected; without a listener it would end the process.
    res.on("error", close);
    this.#registry = options.registry;
    if (!this.#closed) this.#registry?.add(this);
  }

  /** The heartbeat's comment (the shared heartbeat timer calls it). */
  beat(): void {
    this.#write(heartbeatComment);
  }

  /** The last frame before a shutdown (the registry of open streams calls it). */
  shutdown(retryMs: number): void {
    this.#write(`retry: ${retryMs}\nevent: shutdown\ndata: the server is restarting: reconnect\n\n`);
    this.close();
  }

  send(frame: SseFrame): void {
    if (this.#closed) return;
    this.#delivered.inc();
    this.#write(encodeFrame(frame));
  }

  queuedBytes(): number {
    return this.#res.writableLength;
  }

  drop(): void {
    if (this.#closed) return;
    metrics.slowConsumersDropped.inc({ kind: this.#kind });
    this.close();
    this.#res.destroy();
  }

  drained(): Promise<void> {
    const res = this.#res;
    if (this.#closed || !res.writableNeedDrain) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        resolve();
      };
      res.on("drain", done);
      res.on("close", done);
    });
  }

  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  expire(reason: string): void {
    this.#write(formatSseFrame({ event: "expired", data: reason }));
    this.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    metrics.openStreams.dec({ kind: this.#kind });
    if (this.#heartbeat) leaveHeartbeat(this.#heartbeat, this);
    this.#registry?.remove(this);
    clearTimeout(this.#expiry);
    for (const listener of this.#closeListeners.splice(0)) {
      try {
        listener();
      } catch {
        // one listener's failure must not keep the others (or the socket) alive
      }
    }
    const res = this.#res;
    if (!res.writableEnded && !res.destroyed) res.end();
  }

  #write(text: string | Buffer): void {
    const res = this.#res;
    // Never write to an ended response: node would raise the error on a later tick, where nothing catches it.
    if (this.#closed || res.writableEnded || res.destroyed) return;
    // A client that does not read would grow this queue without bound: drop it; it resumes by Last-Event-ID.
    if (res.writableLength > this.maxQueuedBytes) return this.drop();
    res.write(text);
  }
}

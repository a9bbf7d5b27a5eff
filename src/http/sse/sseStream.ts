// One Server-Sent Events response: frames, heartbeat comments, a retry hint, and a bounded send queue.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OpenStreams } from "../../live/openStreams.ts";
import { metrics } from "../../observability/metrics.ts";
import { streamHeadSent } from "../requestLog.ts";

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
  /** Sent back as X-Request-Id (the id in the request's log line). */
  requestId?: string;
}

export type CloseListener = (() => void) | { stop(): void };

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
  /** Runs the function, or stops the thing (a conversation it follows), when the stream closes. */
  onClose(listener: CloseListener): void;
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

/** One delivery counter per kind: prom-client's labels() makes a new object and bound function per call. */
const deliveryCounters = new Map<string, { inc(): void }>();

function deliveryCounter(kind: string): { inc(): void } {
  let counter = deliveryCounters.get(kind);
  if (!counter) {
    counter = metrics.deliveries.labels({ kind });
    deliveryCounters.set(kind, counter);
  }
  return counter;
}

/**
 * The stream's head, given whole to writeHead: headers set one by one (setHeader) stay in a
 * per-response table for as long as the response is open, hundreds of bytes per idle stream.
 */
function streamHead(requestId: string | undefined): Record<string, string> {
  const head: Record<string, string> = {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
    "X-Content-Type-Options": "nosniff",
  };
  if (requestId !== undefined) head["X-Request-Id"] = requestId;
  return head;
}

const noListeners: readonly CloseListener[] = [];

/** The response's stream, for the one close listener every stream shares (no closure per stream). */
const streamOfResponse = new WeakMap<ServerResponse, ResponseStream>();

function callCloseListener(listener: CloseListener): void {
  if (typeof listener === "function") listener();
  else listener.stop();
}

function closeStreamOfResponse(this: ServerResponse): void {
  closeStreamOf(this);
}

/** The response closed (the client left, or it ended): its stream, if one opened, closes too. */
export function closeStreamOf(res: ServerResponse): void {
  streamOfResponse.get(res)?.close();
}

/** For a stream route's response: the stream router's close listener (closeStreamOf) ends it when the response closes. */
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
  // Replaced (concat), not pushed to: an array grown by push or spread keeps room for 17 or more.
  #closeListeners = noListeners;
  #closed = false;
  #expiry: NodeJS.Timeout | undefined;
  readonly #endsAt: number | undefined;
  readonly #heartbeatMs: number;
  #heartbeat: Ticker | undefined;
  readonly #registry: OpenStreams | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, options: SseStreamOptions) {
    this.#res = res;
    this.#kind = options.kind ?? "other";
    this.maxQueuedBytes = options.maxQueuedBytes;
    res.writeHead(200, streamHead(options.requestId));
    res.flushHeaders();
    streamHeadSent(res);
    req.socket.setNoDelay(true);

    this.#delivered = deliveryCounter(this.#kind);
    metrics.openStreams.inc({ kind: this.#kind });

    this.#write(`retry: ${options.retryMs ?? 2000}\n\n`);
    if (!this.#closed) this.#heartbeat = joinHeartbeat(options.heartbeatMs, this);
    this.#endsAt = options.endsAt?.getTime();
    this.#heartbeatMs = options.heartbeatMs;
    this.#armExpiry();
    // The response's close ends the stream: the stream router's one close listener calls closeStreamOf.
    streamOfResponse.set(res, this);
    // A socket error after the client left is expected; without a listener it would end the process.
    res.on("error", closeStreamOfResponse);
    this.#registry = options.registry;
    if (!this.#closed) this.#registry?.add(this);
  }

  /** The heartbeat's comment (the shared heartbeat timer calls it). */
  beat(): void {
    this.#write(heartbeatComment);
    this.#armExpiry();
  }

  /**
   * A timer per stream for an expiry hours away would sit in memory all that time: each heartbeat
   * looks, and only a stream whose credentials end before the next beat sets its timer.
   */
  #armExpiry(): void {
    if (this.#endsAt === undefined || this.#expiry !== undefined || this.#closed) return;
    const remaining = this.#endsAt - Date.now();
    if (remaining > this.#heartbeatMs) return;
    this.#expiry = setTimeout(() => this.expire("the token this stream was opened with has expired"), Math.max(0, remaining));
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

  onClose(listener: CloseListener): void {
    if (this.#closed) callCloseListener(listener);
    else this.#closeListeners = this.#closeListeners.concat(listener);
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
    const listeners = this.#closeListeners;
    this.#closeListeners = noListeners;
    for (const listener of listeners) {
      try {
        callCloseListener(listener);
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

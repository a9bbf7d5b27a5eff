// The one Server-Sent Events client of the tests and the benchmarks: node:http for the request,
// eventsource-parser (a maintained parser) for the frames. `openSse` hands each frame to callbacks
// and keeps nothing (thousands share a bench driver); `connectSse` collects everything a test
// asserts on: the frames (`events`), comments, the retry hint and the raw text. Tests wait on them with
// vitest's expect.poll / vi.waitFor.
import http from "node:http";
import { createParser, type EventSourceMessage } from "eventsource-parser";

/** One frame as sent: `event` is undefined when the server named none (a browser calls it "message"). */
export type SseFrame = EventSourceMessage;

export interface SseCallbacks {
  /** The response head arrived with a 200. */
  onOpen?: (response: http.IncomingMessage) => void;
  /** Every frame of one chunk shares its arrival time. */
  onFrame?: (frame: SseFrame, receivedAt: number) => void;
  onComment?: (comment: string) => void;
  /** The server's reconnection hint (`retry:`), ms. */
  onRetry?: (ms: number) => void;
  /** Raw text as it arrives (after the head), before parsing. */
  onText?: (text: string) => void;
  /** A status other than 200 (with its whole body), a network error, or an end the caller did not ask for. */
  onFailure?: (error: Error, refusal?: { response: http.IncomingMessage; body: string }) => void;
  /** The response ended, for whatever reason (also after close()). */
  onEnd?: () => void;
}

export interface SseOptions extends SseCallbacks {
  url: string;
  headers?: Record<string, string> | undefined;
  now?: () => number;
}

export interface SseHandle {
  close(): void;
}

export function openSse(options: SseOptions): SseHandle {
  const now = options.now ?? Date.now;
  let closed = false;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    options.onEnd?.();
  };
  const request = http.get(options.url, { headers: { Accept: "text/event-stream", ...options.headers } }, (response) => {
    response.setEncoding("utf8");
    if (response.statusCode !== 200) {
      let body = "";
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        options.onFailure?.(new Error(`GET ${options.url}: ${response.statusCode} ${body.slice(0, 300)}`), { response, body });
        end();
      });
      response.on("error", end);
      return;
    }
    options.onOpen?.(response);
    let receivedAt = 0;
    const parser = createParser({
      onEvent: (frame) => options.onFrame?.(frame, receivedAt),
      onComment: options.onComment,
      onRetry: options.onRetry,
    });
    response.on("data", (chunk: string) => {
      receivedAt = now();
      options.onText?.(chunk);
      parser.feed(chunk);
    });
    response.on("close", () => {
      if (!closed) options.onFailure?.(new Error(`stream ${options.url} closed`));
      end();
    });
  });
  request.on("error", (error) => {
    if (!closed) options.onFailure?.(error);
    end();
  });
  return {
    close() {
      closed = true;
      request.destroy();
      end();
    },
  };
}

export interface SseConnection {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body of a refusal (status other than 200), as JSON when it parses. */
  body: unknown;
  /** Every frame so far, in order. */
  events: SseFrame[];
  comments: string[];
  /** The last `retry:` hint, ms. */
  readonly retry: number | undefined;
  /** Everything received after the head, as text. */
  text(): string;
  /** Resolves when the response ends (by the server or close()). */
  ended: Promise<void>;
  readonly isEnded: boolean;
  close(): void;
}

/** Opens a stream and collects what arrives; resolves once the head is in (any status). */
export function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    let opened = false;
    let retry: number | undefined;
    let raw = "";
    let isEnded = false;
    let resolveEnded = () => {};
    const ended = new Promise<void>((done) => (resolveEnded = done));
    const frames: SseFrame[] = [];
    const comments: string[] = [];
    const connection = (status: number, responseHeaders: http.IncomingHttpHeaders, body: unknown): SseConnection => ({
      status,
      headers: responseHeaders,
      body,
      events: frames,
      comments,
      get retry() {
        return retry;
      },
      text: () => raw,
      ended,
      get isEnded() {
        return isEnded;
      },
      close: () => handle.close(),
    });
    const handle = openSse({
      url,
      headers,
      onOpen: (response) => {
        opened = true;
        resolve(connection(200, response.headers, undefined));
      },
      onText: (text) => (raw += text),
      onFrame: (frame) => frames.push(frame),
      onComment: (comment) => comments.push(comment.trim()),
      onRetry: (ms) => (retry = ms),
      onFailure: (error, refusal) => {
        if (refusal) {
          opened = true;
          raw = refusal.body;
          resolve(connection(refusal.response.statusCode ?? 0, refusal.response.headers, parsedBody(refusal.body)));
        } else if (!opened) reject(error);
      },
      onEnd: () => {
        isEnded = true;
        resolveEnded();
      },
    });
  });
}

function parsedBody(body: string): unknown {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    return body;
  }
}

/** Frames of one event name; "message" also takes frames that named no event, as browsers do. */
export function framesNamed(frames: readonly SseFrame[], event: string): SseFrame[] {
  return frames.filter((frame) => (frame.event ?? "message") === event);
}

/** The JSON of each API `message` frame. */
export function messagesIn(frames: readonly SseFrame[]): { id: string; content: string; revision: number; senderName: string }[] {
  return framesNamed(frames, "message").map((frame) => JSON.parse(frame.data));
}

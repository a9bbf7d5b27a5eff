// A lean EventSource for load drivers: a raw TCP socket per connection, the request written and
// the response read by hand. Thousands of these share one driver process, so the client's cost
// per frame is kept small (no HTTP parser, no stream machinery) to measure the server, not us.
// Enough HTTP for loopback benchmarks: a 200 status line, then the (chunked) body scanned for
// frames; chunk-size lines are not SSE fields and fall out of the frame parser.
import { connect, type Socket } from "node:net";

export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

export interface SseConnectionOptions {
  url: string;
  headers?: Record<string, string>;
  /** The status line said 200. */
  onOpen?: () => void;
  /** Every frame of one chunk shares its arrival time. */
  onFrame: (frame: SseFrame, receivedAt: number) => void;
  onFailure?: (error: Error) => void;
  /** The server's reconnection hint (`retry:`), ms. */
  onRetry?: (ms: number) => void;
  now: () => number;
}

export interface SseConnection {
  close(): void;
}

export function openSse(options: SseConnectionOptions): SseConnection {
  const url = new URL(options.url);
  const headers = { Host: url.host, Accept: "text/event-stream", ...options.headers };
  const head = [`GET ${url.pathname}${url.search} HTTP/1.1`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), "", ""].join("\r\n");
  let closed = false;
  let opened = false;
  let buffer = "";
  const socket: Socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true }, () => socket.write(head));
  socket.setEncoding("latin1"); // bytes as they are: the frames we time are ASCII
  socket.on("data", (chunk: string) => {
    const receivedAt = options.now();
    buffer += chunk;
    if (!opened) {
      const endOfHead = buffer.indexOf("\r\n\r\n");
      if (endOfHead < 0) return;
      const status = buffer.slice(0, buffer.indexOf("\r\n"));
      if (!/^HTTP\/1\.1 200 /.test(status)) {
        options.onFailure?.(new Error(`GET ${options.url}: ${status} ${buffer.slice(endOfHead + 4, endOfHead + 300)}`));
        close();
        return;
      }
      opened = true;
      buffer = buffer.slice(endOfHead + 4);
      options.onOpen?.();
    }
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const frame = parseFrame(block);
      if (frame) options.onFrame(frame, receivedAt);
      else if (options.onRetry) {
        const retry = /^retry: *(\d+)$/m.exec(block);
        if (retry) options.onRetry(Number(retry[1]));
      }
    }
  });
  socket.on("error", (error) => {
    if (!closed) options.onFailure?.(error);
  });
  socket.on("close", () => {
    if (!closed) options.onFailure?.(new Error(`stream ${options.url} closed`));
  });
  function close() {
    closed = true;
    socket.destroy();
  }
  return { close };
}

/** A block of lines; comments (":"), retry hints and chunk sizes carry no data and give no frame. */
function parseFrame(block: string): SseFrame | undefined {
  let id: string | undefined;
  let event: string | undefined;
  let data: string | undefined;
  for (const line of block.split("\n")) {
    if (line.startsWith("data:")) data = data === undefined ? line.slice(5).trimStart() : `${data}\n${line.slice(5).trimStart()}`;
    else if (line.startsWith("id:")) id = line.slice(3).trim();
    else if (line.startsWith("event:")) event = line.slice(6).trim();
  }
  return data === undefined ? undefined : { id, event, data };
}

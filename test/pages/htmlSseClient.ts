// Reads a text/event-stream response frame by frame, as hx-sse does, for stream tests.
import http from "node:http";

export interface ReceivedFrame {
  id?: string;
  event?: string;
  data: string;
}

export interface OpenedStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  frames: ReceivedFrame[];
  /** Resolves with the first frame (from the start) matching, waiting for it up to `timeoutMs`. */
  waitFor(matches: (frame: ReceivedFrame) => boolean, timeoutMs?: number): Promise<ReceivedFrame>;
  /** Resolves once `count` frames matching have arrived, with all of them. */
  waitForCount(matches: (frame: ReceivedFrame) => boolean, count: number, timeoutMs?: number): Promise<ReceivedFrame[]>;
  body(): string;
  close(): void;
}

export function openStream(baseUrl: string, path: string, headers: Record<string, string>): Promise<OpenedStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}${path}`, { headers: { Accept: "text/event-stream", ...headers } }, (res) => {
      res.setEncoding("utf8");
      const frames: ReceivedFrame[] = [];
      const waiters = new Set<() => void>();
      let raw = "";
      let buffer = "";
      res.on("data", (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame = parseFrame(block);
          if (frame) frames.push(frame);
        }
        for (const wake of [...waiters]) wake();
      });
      res.on("error", () => {});
      const waitForCount = (matches: (frame: ReceivedFrame) => boolean, count: number, timeoutMs = 5000) =>
        new Promise<ReceivedFrame[]>((done, fail) => {
          const check = () => {
            const found = frames.filter(matches);
            if (found.length < count) return false;
            clearTimeout(timer);
            waiters.delete(wake);
            done(found);
            return true;
          };
          const wake = () => void check();
          const timer = setTimeout(() => {
            waiters.delete(wake);
            fail(new Error(`waited for ${count} frames; have ${JSON.stringify(frames, null, 1)}`));
          }, timeoutMs);
          if (!check()) waiters.add(wake);
        });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames,
        waitForCount,
        waitFor: async (matches, timeoutMs) => (await waitForCount(matches, 1, timeoutMs))[0]!,
        body: () => raw,
        close: () => req.destroy(),
      });
    });
    req.on("error", reject);
  });
}

/** One frame's fields; comments (heartbeats) and retry-only blocks are not frames. */
function parseFrame(block: string): ReceivedFrame | undefined {
  const frame: ReceivedFrame = { data: "" };
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") data.push(value);
    else if (field === "id") frame.id = value;
    else if (field === "event") frame.event = value;
  }
  if (data.length === 0 && frame.id === undefined && frame.event === undefined) return undefined;
  frame.data = data.join("\n");
  return frame;
}

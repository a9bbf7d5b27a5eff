// A small Server-Sent Events client over node:http, for reading a real server's streams in tests.
import http from "node:http";

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON of a refusal (status other than 200). */
  body: unknown;
  events: SseEvent[];
  comments: string[];
  retry: number | undefined;
  /** Resolves when the server ends the response (or it is closed here). */
  ended: Promise<void>;
  /** Waits until `predicate` holds over the events so far; rejects after `timeoutMs`. */
  until(predicate: (events: SseEvent[]) => boolean, timeoutMs?: number, what?: string): Promise<SseEvent[]>;
  close(): void;
}

export function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { Accept: "text/event-stream", ...headers } }, (response) => {
      const status = response.statusCode ?? 0;
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const watchers = new Set<() => void>();
      let retry: number | undefined;
      let buffer = "";
      let frame: { id?: string; event?: string; data: string[] } = { data: [] };
      let resolveEnded: () => void = () => {};
      const ended = new Promise<void>((done) => (resolveEnded = done));
      let isEnded = false;
      const finish = () => {
        if (isEnded) return;
        isEnded = true;
        resolveEnded();
        for (const watcher of [...watchers]) watcher();
      };

      const takeLine = (line: string) => {
        if (line === "") {
          if (frame.data.length > 0 || frame.event) events.push({ id: frame.id, event: frame.event ?? "message", data: frame.data.join("\n") });
          frame = { data: [] };
          return;
        }
        if (line.startsWith(":")) return void comments.push(line.slice(1).trim());
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "id") frame.id = value;
        else if (field === "event") frame.event = value;
        else if (field === "data") frame.data.push(value);
        else if (field === "retry") retry = Number(value);
      };

      const connection: SseConnection = {
        status,
        headers: response.headers,
        body: undefined,
        events,
        comments,
        get retry() {
          return retry;
        },
        ended,
        until(predicate, timeoutMs = 5000, what = "events") {
          return new Promise((resolveUntil, rejectUntil) => {
            const check = () => {
              if (predicate(events)) {
                cleanup();
                resolveUntil(events);
              } else if (isEnded) {
                cleanup();
                rejectUntil(new Error(`stream ended before ${what}; got ${JSON.stringify(events)}`));
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              rejectUntil(new Error(`timed out waiting for ${what}; got ${JSON.stringify(events)}`));
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              watchers.delete(check);
            };
            watchers.add(check);
            check();
          });
        },
        close() {
          request.destroy();
          finish();
        },
      };

      response.setEncoding("utf8");
      if (status !== 200) {
        let text = "";
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          connection.body = text ? JSON.parse(text) : undefined;
          finish();
          resolve(connection);
        });
        return;
      }
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
          takeLine(line);
        }
        for (const watcher of [...watchers]) watcher();
      });
      response.on("end", finish);
      response.on("close", finish);
      response.on("error", finish);
      resolve(connection);
    });
    request.on("error", reject);
  });
}

/** The JSON of each `message` frame. */
export function messagesIn(events: SseEvent[]): { id: string; content: string; revision: number; senderName: string }[] {
  return events.filter((event) => event.event === "message").map((event) => JSON.parse(event.data));
}

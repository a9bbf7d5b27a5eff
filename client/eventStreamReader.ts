// Reads a Server-Sent Events body from fetch() (EventSource cannot send an Authorization header).
// A stream that goes silent past `idleTimeoutMs` is dropped: handoff sends a heartbeat every 15 s,
// so silence means a connection that died without closing (a sleeping laptop, a lost network).
import { createParser, type EventSourceMessage } from "eventsource-parser";

export type StreamEnd = "ended" | "idle";

export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: EventSourceMessage) => void,
  idleTimeoutMs: number,
): Promise<StreamEnd> {
  const parser = createParser({ onEvent });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let idle = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const armIdleTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      reader.cancel().catch(() => undefined);
    }, idleTimeoutMs);
  };
  try {
    armIdleTimer();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return idle ? "idle" : "ended";
      armIdleTimer();
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}

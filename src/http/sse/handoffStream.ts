// A live stream as every route opens it: the configured heartbeat and slow-consumer bound, the
// credentials' expiry, a metrics kind, and the registry a shutdown ends it through.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Handoff } from "../../app/handoff.ts";
import { openSseStream, type SseStream } from "./sseStream.ts";

export type StreamKind = "api_conversation" | "api_notifications" | "page_chat" | "page_notifications";

export function openHandoffStream(handoff: Handoff, req: IncomingMessage, res: ServerResponse, endsAt: Date | undefined, kind: StreamKind): SseStream {
  return openSseStream(req, res, {
    heartbeatMs: handoff.config.sseHeartbeatMs,
    maxQueuedBytes: handoff.config.sseMaxQueuedBytes,
    endsAt,
    kind,
    registry: handoff.openStreams,
  });
}

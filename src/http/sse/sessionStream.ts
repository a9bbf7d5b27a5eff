// Every signed-in event stream: the configured heartbeat and slow-consumer bound, a metrics kind, the
// registry a shutdown ends it through; it ends with a final `event: expired` when its token expires or
// its session ends (sign-out, sign-out everywhere, from any process), and counts toward the user's streams.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Handoff } from "../../app/handoff.ts";
import type { RequestIdentity } from "../authentication.ts";
import { openSseStream, type SseStream } from "./sseStream.ts";

export type StreamKind = "api_conversation" | "api_notifications" | "page_chat" | "page_notifications";

export function openSessionStream(handoff: Handoff, req: IncomingMessage, res: ServerResponse, identity: RequestIdentity, kind: StreamKind): SseStream {
  const stream = openSseStream(req, res, {
    heartbeatMs: handoff.config.sseHeartbeatMs,
    maxQueuedBytes: handoff.config.sseMaxQueuedBytes,
    endsAt: identity.expiresAt,
    kind,
    registry: handoff.openStreams,
  });
  const unwatch = handoff.sessionEnds.watch(identity, () => stream.expire("the session this stream was opened with has ended (signed out)"));
  stream.onClose(unwatch);
  return stream;
}

// Every signed-in event stream: it ends with a final `event: expired` when its token expires or its
// session ends (sign-out, sign-out everywhere, from any process), and counts toward the user's streams.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Handoff } from "../../app/handoff.ts";
import type { RequestIdentity } from "../authentication.ts";
import { openSseStream, type SseStream } from "./sseStream.ts";

export function openSessionStream(handoff: Handoff, req: IncomingMessage, res: ServerResponse, identity: RequestIdentity): SseStream {
  const stream = openSseStream(req, res, {
    heartbeatMs: handoff.config.sseHeartbeatMs,
    maxQueuedBytes: handoff.config.sseMaxQueuedBytes,
    endsAt: identity.expiresAt,
  });
  const unwatch = handoff.sessionEnds.watch(identity, () => stream.expire("the session this stream was opened with has ended (signed out)"));
  stream.onClose(unwatch);
  return stream;
}

// Every signed-in event stream: the configured heartbeat and slow-consumer bound, a metrics kind, the
// registry a shutdown ends it through; it ends with a final `event: expired` when its token expires or
// its session ends (sign-out, sign-out everywhere, from any process), and counts toward the user's streams.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isLimitRefusal } from "../../app/abuseLimits.ts";
import type { Handoff } from "../../app/handoff.ts";
import { rateLimitedError } from "../edge/rateLimits.ts";
import type { RequestIdentity } from "../authentication.ts";
import { openSseStream, type SseStream } from "./sseStream.ts";

export type StreamKind = "api_conversation" | "api_notifications" | "page_chat" | "page_notifications";

/** Over the user's open-stream cap it throws, before the first byte: the route answers 429 (JSON on /api, text on pages). */
export function openSessionStream(handoff: Handoff, req: IncomingMessage, res: ServerResponse, identity: RequestIdentity, kind: StreamKind, requestId: string): SseStream {
  const lease = handoff.limits.openStream(identity.userId);
  if (isLimitRefusal(lease)) throw rateLimitedError(lease);
  const stream = openSseStream(req, res, {
    heartbeatMs: handoff.config.sseHeartbeatMs,
    maxQueuedBytes: handoff.config.sseMaxQueuedBytes,
    endsAt: identity.expiresAt,
    kind,
    registry: handoff.openStreams,
    requestId,
  });
  forgetCredentials(req);
  const unwatch = handoff.sessionEnds.watch(identity, () => stream.expire("the session this stream was opened with has ended (signed out)"));
  // One listener for both: each closure kept per open stream costs memory for hours.
  stream.onClose(() => {
    unwatch();
    lease.release();
  });
  // Gone already: no close event will come to release the lease, so close now.
  if (res.destroyed) stream.close();
  return stream;
}

/**
 * A stream stays open for hours, and node keeps its request's headers as long: once the identity is
 * known, the token or cookie it came with is not kept (about 400 bytes per open stream, and a
 * credential less in memory).
 */
function forgetCredentials(req: IncomingMessage): void {
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === "authorization" || name === "cookie") raw[i + 1] = "";
  }
  // Blanked, not deleted: a delete would turn the headers object into a (larger) dictionary.
  if (req.headers.authorization !== undefined) req.headers.authorization = "";
  if (req.headers.cookie !== undefined) req.headers.cookie = "";
}

// Every signed-in event stream: the configured heartbeat and slow-consumer bound, a metrics kind, the
// registry a shutdown ends it through; it ends with a final `event: expired` when its token expires or
// its session ends (sign-out, sign-out everywhere, from any process), and counts toward the user's streams.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isLimitRefusal } from "../../app/abuseLimits.ts";
import type { SessionEnds, SessionWatcher } from "../../app/sessionEnds.ts";
import type { Identity } from "../../app/tokens.ts";
import type { StreamLease } from "../../scale/streamLeases.ts";
import type { Handoff } from "../../app/handoff.ts";
import type { Configured, LimitsServices } from "../../app/services.ts";
import { rateLimitedError } from "../edge/rateLimits.ts";
import type { RequestIdentity } from "../authentication.ts";
import { openSseStream, type SseStream } from "./sseStream.ts";

export type StreamKind = "api_conversation" | "api_notifications" | "page_chat" | "page_notifications";

/** Every signed-in stream: the open-stream cap, the stream settings, the shutdown's registry, the session ends. */
export type SessionStreamServices = LimitsServices & Configured & Pick<Handoff, "openStreams" | "sessionEnds">;

/** Over the user's open-stream cap it throws, before the first byte: the route answers 429 (JSON on /api, text on pages). */
export function openSessionStream(handoff: SessionStreamServices, 
req: IncomingMessage, res: ServerResponse, identity: RequestIdentity, kind: StreamKind, requestId: string): SseStream {
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
  const session = new StreamSession(handoff.sessionEnds, identity, lease, stream);
  handoff.sessionEnds.watch(session);
  stream.onClose(session);
  // Gone already: no close event will come to release the lease, so close now.
  if (res.destroyed) stream.close();
  return stream;
}

/**
 * What ties a stream to its session: the lease it counts against the user's cap, and the session
 * watch that ends it on sign-out. One object with its methods on the prototype, not closures: the
 * stream keeps it for hours.
 */
class StreamSession implements SessionWatcher {
  constructor(
    private readonly sessionEnds: SessionEnds,
    readonly identity: Identity,
    private readonly lease: StreamLease,
    private readonly stream: SseStream,
  ) {}

  sessionEnded(): void {
    this.stream.expire("the session this stream was opened with has ended (signed out)");
  }

  /** The stream closed. */
  stop(): void {
    this.sessionEnds.unwatch(this);
    this.lease.release();
  }
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

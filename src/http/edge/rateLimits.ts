// The abuse limits (src/app/abuseLimits.ts) at the HTTP edge: who the client is, and a refusal as
// the API, the streams and the pages answer it (429 with Retry-After, always).
import type { ServerResponse } from "node:http";
import type { Request, RequestHandler } from "express";
import type { LimitRefusal } from "../../app/abuseLimits.ts";
import type { Handoff } from "../../app/handoff.ts";
import { identityOf } from "../authentication.ts";
import { ApiError } from "../api/apiErrors.ts";
import { pageRefusal, sentence, type PageRefusal } from "../pages/pageRefusals.ts";

/** req.ip: the peer's address, or with TRUST_PROXY the one the trusted proxy saw (app.ts). */
export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

/** The API's (and the streams') answer: thrown, it becomes 429 rate_limited with Retry-After. */
export function rateLimitedError(refusal: LimitRefusal): ApiError {
  return new ApiError("rate_limited", refusal.message, refusal.retryAfterSeconds);
}

/**
 * The message budget, for every API write that stores something about a message: a send, an edit,
 * a retraction, a reaction, an attachment upload (before its body is read). Read marks and typing
 * signals are not counted: a reader's client sends them as a matter of course.
 */
export function limitMessageWrites(handoff: Handoff): RequestHandler {
  return async (req, res, next) => {
    const limited = await handoff.limits.messageSend(clientIp(req), identityOf(res).userId);
    if (limited) throw rateLimitedError(limited);
    next();
  };
}

/** A page's answer: sets Retry-After; the page renders the returned refusal (keeping what was typed). */
export function rateLimitedPage(res: ServerResponse, refusal: LimitRefusal): PageRefusal {
  res.setHeader("Retry-After", String(refusal.retryAfterSeconds));
  return pageRefusal("rate_limited", sentence(refusal.message));
}

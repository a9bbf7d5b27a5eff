// The abuse limits (src/app/abuseLimits.ts) at the HTTP edge: who the client is, and a refusal as
// the API, the streams and the pages answer it (429 with Retry-After, always).
import type { ServerResponse } from "node:http";
import { isIPv6 } from "node:net";
import type { Request, RequestHandler } from "express";
import type { LimitRefusal } from "../../app/abuseLimits.ts";
import type { Handoff } from "../../app/handoff.ts";
import { identityOf } from "../authentication.ts";
import { ApiError } from "../api/apiErrors.ts";
import { pageRefusal, sentence, type PageRefusal } from "../pages/pageRefusals.ts";

/**
 * Who the per-IP limits count: req.ip (the peer's address, or with TRUST_PROXY the one the trusted
 * proxy saw: app.ts). An IPv6 client is its /64: one subscriber gets a whole /64 and could
 * otherwise take a fresh address, and a fresh budget, for every request.
 */
export function clientIp(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? "unknown";
  return isIPv6(ip) ? ipv6Network(ip) : ip;
}

/** "2001:db8:1:2:aaaa::5" -> "2001:db8:1:2::/64"; an IPv4-mapped address stays the IPv4 one. */
export function ipv6Network(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  // Only called on what isIPv6 accepts, so the shape is known: at most one "::", hex groups.
  const address = ip.split("%")[0]!;
  const [head = "", tail] = address.split("::");
  const front = head === "" ? [] : head.split(":");
  const back = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill("0"), ...back];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(":")}::/64`;
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
export function limitMessageWrites(handoff: Pick<Handoff, "limits">): RequestHandler {
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

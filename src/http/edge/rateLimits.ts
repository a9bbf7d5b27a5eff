// The abuse limits (src/app/abuseLimits.ts) at the HTTP edge: who the client is, and a refusal as
// the API and the streams answer it (429 with Retry-After, always); the pages' answer is
// pages/limitRefusals.ts, so the edge depends on neither the API nor the pages.
import { isIPv6 } from "node:net";
import type { Request, RequestHandler } from "express";
import { isLimitRefusal, type LimitRefusal } from "../../app/abuseLimits.ts";
import { PasswordHashingBusy } from "../../app/passwordHash.ts";
import type { Handoff } from "../../app/handoff.ts";
import { identityOf } from "../authentication.ts";
import { ApiError } from "../errorAnswers.ts";

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

/**
 * Every other write a person makes to a giveaway (the API's entries, draw, mute and pickup steps):
 * each stores an event for good, so none is free. Read marks coalesce and typing is not stored.
 */
export function limitGiveawayActions(handoff: Pick<Handoff, "limits">): RequestHandler {
  return async (req, res, next) => {
    const limited = await handoff.limits.giveawayAction(clientIp(req), identityOf(res).userId);
    if (limited) throw rateLimitedError(limited);
    next();
  };
}

/** Password work refused: the client IP's places are taken (429 rate_limited) or the hashing queue is full (503 busy). */
export interface PasswordWorkRefusal {
  code: "rate_limited" | "busy";
  message: string;
  retryAfterSeconds: number;
}

/**
 * Runs a sign-in's or a registration's password hash holding one of the client IP's places
 * (RATE_LIMIT_HASHES_PER_IP), so one address cannot fill the hashing queue for everyone; a refusal
 * checks and stores nothing.
 */
export async function withPasswordHashing<T>(handoff: Pick<Handoff, "limits">, req: Request, work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; refusal: PasswordWorkRefusal }> {
  const place = handoff.limits.passwordHashing(clientIp(req));
  if (isLimitRefusal(place)) return { ok: false, refusal: { code: "rate_limited", message: place.message, retryAfterSeconds: place.retryAfterSeconds } };
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof PasswordHashingBusy) return { ok: false, refusal: { code: "busy", message: error.message, retryAfterSeconds: error.retryAfterSeconds } };
    throw error;
  } finally {
    place.release();
  }
}

/** The API's answer to refused password work (429 or 503, with Retry-After). */
export function passwordWorkError(refusal: PasswordWorkRefusal): ApiError {
  return new ApiError(refusal.code, refusal.message, refusal.retryAfterSeconds);
}

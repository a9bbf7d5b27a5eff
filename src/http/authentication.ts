// Who is asking: a Bearer token (API, curl) or the HttpOnly session cookie (browser pages).
import type { IncomingMessage } from "node:http";
import { parse as parseCookie } from "cookie";
import type { NextFunction, Request, Response } from "express";
import type { Identity, TokenService } from "../app/tokens.ts";
import { comesFromOurOrigin, isHttps, type OriginConfig } from "./edge/origin.ts";

export const sessionCookieName = "handoff_session";

export type AuthenticatedBy = "bearer" | "cookie";

export interface RequestIdentity extends Identity {
  by: AuthenticatedBy;
}

/** Only the headers: express's requests and the plain node ones the streams get both have them. */
type RequestHeaders = Pick<IncomingMessage, "headers">;

/** The `cookie` package parses (a malformed escape stays as it came: it then fails to verify). */
function cookieValue(req: RequestHeaders, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== "string" || header === "") return undefined;
  return parseCookie(header)[name];
}

/** "missing" when no credentials came at all; "invalid" when they came but do not verify (or expired). */
export function identify(req: RequestHeaders, tokens: TokenService): RequestIdentity | "missing" | "invalid" {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const identity = match ? tokens.verify(match[1]!) : undefined;
    return identity ? authenticated(identity, "bearer") : "invalid";
  }
  const cookie = cookieValue(req, sessionCookieName);
  if (cookie === undefined) return "missing";
  const identity = tokens.verify(cookie);
  return identity ? authenticated(identity, "cookie") : "invalid";
}

/**
 * Written out, not spread: V8 gives each object made by `{ ...identity, by }` a hidden class of its
 * own (about 180 bytes more for every open stream that keeps its identity).
 */
function authenticated(identity: Identity, by: AuthenticatedBy): RequestIdentity {
  const { userId, username, expiresAt, sessionId, sessionStartedAt } = identity;
  return { userId, username, expiresAt, sessionId, sessionStartedAt, by };
}

/** What the edge needs to know who asks: the tokens, and where the browser thinks it is. */
export interface EdgeContext {
  tokens: TokenService;
  config: OriginConfig;
}

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date, config: OriginConfig): void {
  res.cookie(sessionCookieName, token, { httpOnly: true, sameSite: "lax", path: "/", expires: expiresAt, secure: isHttps(req, config) });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(sessionCookieName, { httpOnly: true, sameSite: "lax", path: "/" });
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request that carries the session cookie must come from our own origin (Origin,
 * else Referer: same scheme, host and port); with neither it is refused. Bearer requests carry no
 * ambient credentials.
 */
export function isCrossSiteCookieWrite(req: Request, config: OriginConfig): boolean {
  if (safeMethods.has(req.method)) return false;
  if (req.headers.authorization !== undefined) return false;
  if (cookieValue(req, sessionCookieName) === undefined) return false;
  return !comesFromOurOrigin(req, config);
}

/** Puts the identity on res.locals.identity, or hands the refusal to `refuse`. */
export function requireIdentity(
  edge: EdgeContext,
  refuse: (req: Request, res: Response, reason: "missing" | "invalid" | "cross_site") => void,
) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (isCrossSiteCookieWrite(req, edge.config)) return refuse(req, res, "cross_site");
    const identity = identify(req, edge.tokens);
    if (identity === "missing" || identity === "invalid") return refuse(req, res, identity);
    res.locals.identity = identity;
    next();
  };
}

export function identityOf(res: Response): RequestIdentity {
  const identity = res.locals.identity as RequestIdentity | undefined;
  if (!identity) throw new Error("route is missing requireIdentity");
  return identity;
}

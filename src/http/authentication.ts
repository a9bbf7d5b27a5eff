// Who is asking: a Bearer token (API, curl) or the HttpOnly session cookie (browser pages).
import type { IncomingMessage } from "node:http";
import { parse as parseCookie } from "cookie";
import type { NextFunction, Request, Response } from "express";
import type { PlatformSignIn } from "../app/platformSignIn.ts";
import { PlatformTokenError } from "../app/platformTokens.ts";
import type { Identity, TokenService } from "../app/tokens.ts";
import { comesFromOurOrigin, isHttps, type OriginConfig } from "./edge/origin.ts";

export const sessionCookieName = "handoff_session";
/** The session of the chat framed in the platform's pages (/embed): partitioned, so it never meets the top-level one. */
export const embedSessionCookieName = "handoff_embed_session";

export type AuthenticatedBy = "bearer" | "cookie" | "embed_cookie";

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

/**
 * "missing" when no credentials came at all; "invalid" when they came but do not verify (or expired);
 * "suspended" when they verify but a moderator suspended their user (tokens.ts: check).
 */
export function identify(req: RequestHeaders, tokens: TokenService): RequestIdentity | "missing" | "invalid" | "suspended" {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const identity = match ? tokens.check(match[1]!) : "invalid";
    return typeof identity === "string" ? identity : authenticated(identity, "bearer");
  }
  const cookie = cookieValue(req, sessionCookieName);
  const identity = cookie === undefined ? "invalid" : tokens.check(cookie);
  if (typeof identity !== "string") return authenticated(identity, "cookie");
  const embedCookie = cookieValue(req, embedSessionCookieName);
  const embedIdentity = embedCookie === undefined ? "invalid" : tokens.check(embedCookie);
  if (typeof embedIdentity !== "string") return authenticated(embedIdentity, "embed_cookie");
  if (identity === "suspended" || embedIdentity === "suspended") return "suspended";
  return cookie === undefined && embedCookie === undefined ? "missing" : "invalid";
}

/**
 * Written out, not spread: V8 gives each object made by `{ ...identity, by }` a hidden class of its
 * own (about 180 bytes more for every open stream that keeps its identity).
 */
function authenticated(identity: Identity, by: AuthenticatedBy): RequestIdentity {
  const { userId, username, expiresAt, sessionId, sessionStartedAt } = identity;
  return { userId, username, expiresAt, sessionId, sessionStartedAt, by };
}

/** What the edge needs to know who asks: the tokens, the platform's sign-in if any, and where the browser thinks it is. */
export interface EdgeContext {
  tokens: TokenService;
  config: OriginConfig;
  platform?: { signIn: PlatformSignIn | undefined };
}

/** Why a request has no identity: no credentials, bad ones, a cross-site cookie write, or the platform's precise refusal. */
export type IdentityRefusal = "missing" | "invalid" | "suspended" | "cross_site" | PlatformTokenError;

/** The platform's sign-in when this Bearer token is the platform's to check, else undefined. */
function platformTokenOf(req: RequestHeaders, edge: EdgeContext): { token: string; signIn: PlatformSignIn } | undefined {
  const signIn = edge.platform?.signIn;
  const header = req.headers.authorization;
  if (!signIn || header === undefined) return undefined;
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  return token !== undefined && signIn.isPlatformCandidate(token) ? { token, signIn } : undefined;
}

/**
 * `identify`, and also the platform's tokens (their keys may need fetching, hence a promise): the
 * identity, or why there is none. `correlationId` goes on the platform user's recorded profile.
 */
export async function identifyRequest(req: RequestHeaders, edge: EdgeContext, correlationId: string): Promise<RequestIdentity | Exclude<IdentityRefusal, "cross_site">> {
  const platform = platformTokenOf(req, edge);
  if (!platform) return identify(req, edge.tokens);
  try {
    const identity = await platform.signIn.identify(platform.token, correlationId);
    return identity === "suspended" ? identity : authenticated(identity, "bearer");
  } catch (error) {
    if (error instanceof PlatformTokenError) return error;
    throw error;
  }
}

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date, config: OriginConfig): void {
  res.cookie(sessionCookieName, token, { httpOnly: true, sameSite: "lax", path: "/", expires: expiresAt, secure: isHttps(req, config) });
}

/**
 * The embed's session: framed by another site, so SameSite=None (and therefore Secure), and
 * Partitioned, so it lives in that site's cookie jar and works with third-party cookies blocked.
 */
export function setEmbedSessionCookie(res: Response, token: string, expiresAt: Date): void {
  res.cookie(embedSessionCookieName, token, { httpOnly: true, sameSite: "none", secure: true, partitioned: true, path: "/", expires: expiresAt });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(sessionCookieName, { httpOnly: true, sameSite: "lax", path: "/" });
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request that carries the session cookie must come from our own origin (Origin,
 * else Referer: same scheme, host and port); with neither it is refused. Bearer requests carry no
 * ambient credentials. The embed's cookie is SameSite=None: this check is all that stops a forgery with it.
 */
export function isCrossSiteCookieWrite(req: Request, config: OriginConfig): boolean {
  if (safeMethods.has(req.method)) return false;
  if (req.headers.authorization !== undefined) return false;
  if (cookieValue(req, sessionCookieName) === undefined && cookieValue(req, embedSessionCookieName) === undefined) return false;
  return !comesFromOurOrigin(req, config);
}

/** Puts the identity on res.locals.identity, or hands the refusal to `refuse`. */
export function requireIdentity(edge: EdgeContext, refuse: (req: Request, res: Response, reason: IdentityRefusal) => void) {
  const accept = (res: Response, next: NextFunction, identity: RequestIdentity) => {
    res.locals.identity = identity;
    next();
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (isCrossSiteCookieWrite(req, edge.config)) return refuse(req, res, "cross_site");
    // handoff's own tokens and cookies are checked at once; only the platform's may need to wait for its keys.
    if (platformTokenOf(req, edge)) {
      return identifyRequest(req, edge, String(res.locals.requestId ?? "")).then((identity) =>
        typeof identity === "string" || identity instanceof PlatformTokenError ? refuse(req, res, identity) : accept(res, next, identity),
      );
    }
    const identity = identify(req, edge.tokens);
    if (typeof identity === "string") return refuse(req, res, identity);
    accept(res, next, identity);
  };
}

export function identityOf(res: Response): RequestIdentity {
  const identity = res.locals.identity as RequestIdentity | undefined;
  if (!identity) throw new Error("route is missing requireIdentity");
  return identity;
}

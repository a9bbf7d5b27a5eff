// Per request: its id (for event metadata and logs), who is asking, and refusing cross-site writes.
import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { CommandContext } from "../../domain/eventMetadata.ts";
import { assertNever } from "../../domain/errors.ts";
import { PlatformTokenError } from "../../app/platformTokens.ts";
import { identifyRequest, identityOf, isCrossSiteCookieWrite, requireIdentity, type EdgeContext, type IdentityRefusal, type RequestIdentity } from "../authentication.ts";
import { ApiError, sendApiError } from "./apiErrors.ts";

const requestIdShape = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes a sane X-Request-Id from the caller (to follow one request across systems) or makes one; keeps one the request log gave. */
export function assignRequestId(newId: () => string): RequestHandler {
  return (req, res, next) => {
    res.locals.requestId ??= requestIdFor(req, newId);
    res.setHeader("X-Request-Id", res.locals.requestId);
    next();
  };
}

export function requestIdFor(req: Pick<IncomingMessage, "headers">, newId: () => string): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && requestIdShape.test(given) ? given : newId();
}

/** A write that carries the session cookie but comes from another site is refused before anything else. */
export function refuseCrossSiteWrites(edge: EdgeContext): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (isCrossSiteCookieWrite(req, edge.config)) return sendApiError(res, "cross_site_request", "a request carrying the session cookie must come from this site");
    next();
  };
}

/** One table for every API refusal of who asks: the API's routes, its streams and the audit's events. */
export function identityRefusal(reason: IdentityRefusal): ApiError {
  if (reason instanceof PlatformTokenError) return new ApiError(reason.code, reason.message);
  switch (reason) {
    case "missing":
      return new ApiError("unauthenticated", "sign in first: send Authorization: Bearer <token> (POST /api/tokens gives one)");
    case "invalid":
      return new ApiError("invalid_token", "the token is malformed, forged or expired: get a new one from POST /api/tokens");
    case "suspended":
      return new ApiError("suspended", "this account is suspended by a moderator");
    case "cross_site":
      return new ApiError("cross_site_request", "a request carrying the session cookie must come from this site");
    default:
      return assertNever(reason);
  }
}

/** Bearer token or session cookie; refusals are the API's JSON errors. */
export function requireApiIdentity(edge: EdgeContext): RequestHandler {
  return requireIdentity(edge, (_req, res, reason) => {
    const refusal = identityRefusal(reason);
    sendApiError(res, refusal.code, refusal.message);
  });
}

/** The same check for a safe (GET) request outside express: the identity, or the refusal thrown. */
export async function apiIdentity(edge: EdgeContext, req: Pick<IncomingMessage, "headers">, requestId: string): Promise<RequestIdentity> {
  const identity = await identifyRequest(req, edge, requestId);
  if (typeof identity === "string" || identity instanceof PlatformTokenError) throw identityRefusal(identity);
  return identity;
}

/** Who asked and which request: the metadata every event the request causes carries. */
export function commandContext(res: Response): CommandContext {
  const requestId = String(res.locals.requestId);
  return { actorId: identityOf(res).userId, correlationId: requestId, causationId: requestId };
}

export function requestIdOf(res: Response): string {
  return String(res.locals.requestId);
}

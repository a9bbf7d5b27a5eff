// Per request: its id (for event metadata and logs), who is asking, and refusing cross-site writes.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { CommandContext } from "../../app/eventMetadata.ts";
import type { Handoff } from "../../app/handoff.ts";
import { assertNever } from "../../domain/errors.ts";
import { identityOf, isCrossSiteCookieWrite, requireIdentity } from "../authentication.ts";
import { sendApiError } from "./apiErrors.ts";

const requestIdShape = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes a sane X-Request-Id from the caller (to follow one request across systems) or makes one. */
export function assignRequestId(newId: () => string): RequestHandler {
  return (req, res, next) => {
    const given = req.get("x-request-id");
    const requestId = given !== undefined && requestIdShape.test(given) ? given : newId();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    next();
  };
}

/** A write that carries the session cookie but comes from another site is refused before anything else. */
export function refuseCrossSiteWrites(req: Request, res: Response, next: NextFunction): void {
  if (isCrossSiteCookieWrite(req)) return sendApiError(res, "cross_site_request", "a request carrying the session cookie must come from this site");
  next();
}

/** Bearer token or session cookie; refusals are the API's JSON errors. */
export function requireApiIdentity(handoff: Handoff): RequestHandler {
  return requireIdentity(handoff.tokens, (_req, res, reason) => {
    switch (reason) {
      case "missing":
        return sendApiError(res, "unauthenticated", "sign in first: send Authorization: Bearer <token> (POST /api/tokens gives one)");
      case "invalid":
        return sendApiError(res, "invalid_token", "the token is malformed, forged or expired: get a new one from POST /api/tokens");
      case "cross_site":
        return sendApiError(res, "cross_site_request", "a request carrying the session cookie must come from this site");
      default:
        return assertNever(reason);
    }
  });
}

/** Who asked and which request: the metadata every event the request causes carries. */
export function commandContext(res: Response): CommandContext {
  const requestId = String(res.locals.requestId);
  return { actorId: identityOf(res).userId, correlationId: requestId, causationId: requestId };
}

export function requestIdOf(res: Response): string {
  return String(res.locals.requestId);
}

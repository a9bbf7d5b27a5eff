// Who may call /api/platform: the platform's backend with a live service key (Authorization: Bearer
// hsk_...), checked against the key's stream on every call so a revocation holds at once everywhere.
// A user's token is refused here (403), and a service key is no user's token anywhere else (401).
import type { RequestHandler, Response } from "express";
import type { Handoff } from "../../app/handoff.ts";
import { serviceKeyPrefix } from "../../domain/serviceKeys.ts";
import { rateLimitedError } from "../edge/rateLimits.ts";
import { ApiError } from "./apiErrors.ts";

export function requireServiceKey(handoff: Pick<Handoff, "serviceKeys" | "limits">): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) throw new ApiError("unauthenticated", "send Authorization: Bearer <service key> (npm run service-keys -- create <name> makes one)");
    const presented = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (presented === undefined) throw new ApiError("invalid_service_key", "send the service key as Authorization: Bearer <service key>");
    if (!presented.startsWith(serviceKeyPrefix)) throw new ApiError("service_key_required", "the platform API takes a service key, not a user's token");
    const keyName = await handoff.serviceKeys.verify(presented);
    if (keyName === undefined) throw new ApiError("invalid_service_key", "the service key is unknown or revoked");
    const limited = await handoff.limits.platformCall(keyName);
    if (limited) throw rateLimitedError(limited);
    res.locals.serviceKeyName = keyName;
    next();
  };
}

/** The calling service key's name (requireServiceKey put it there). */
export function serviceKeyNameOf(res: Response): string {
  const name = res.locals.serviceKeyName as string | undefined;
  if (name === undefined) throw new Error("route is missing requireServiceKey");
  return name;
}

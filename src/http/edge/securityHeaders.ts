// The headers every HTML answer carries (the pages, the audit), each beside its own
// Content-Security-Policy: no sniffing, no referrer to other sites, no framing, only the browser
// features the chat uses, and under https the promise to stay on https.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import { isHttps, type OriginConfig } from "./origin.ts";

/** The chat records voice notes (public/chatComposer.js): the microphone, for this site only; never the camera or the location. */
export const permissionsPolicy = "camera=(), geolocation=(), microphone=(self)";

/** A year; sent only over https, where a browser heeds it (over http it would be a lie anyway). */
export const strictTransportSecurity = "max-age=31536000";

export function setDocumentSecurityHeaders(req: IncomingMessage, res: ServerResponse, config: OriginConfig): void {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", permissionsPolicy);
  if (isHttps(req, config)) res.setHeader("Strict-Transport-Security", strictTransportSecurity);
}

/** The same, as express middleware (the audit page, which sets its own Content-Security-Policy). */
export function documentSecurityHeaders(config: OriginConfig): RequestHandler {
  return (req, res, next) => {
    setDocumentSecurityHeaders(req, res, config);
    next();
  };
}

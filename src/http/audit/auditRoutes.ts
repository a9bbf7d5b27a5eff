// The audit: a giveaway's stored events as JSON or NDJSON, and a page that replays its conversation.
import express from "express";
import { clearSessionCookie, requireIdentity, type EdgeContext } from "../authentication.ts";
import { requireApiIdentity } from "../api/requestContext.ts";
import { documentSecurityHeaders } from "../edge/securityHeaders.ts";
import { auditPage, type AuditPageServices } from "./auditPage.ts";
import { eventsEndpoint, type EventsEndpointServices } from "./eventsEndpoint.ts";

export type AuditRoutesServices = EdgeContext & AuditPageServices & EventsEndpointServices;

export function auditRoutes(handoff: AuditRoutesServices): express.Router {

  const router = express.Router();

  // The API's own refusals of who asks (JSON, WWW-Authenticate on a 401), as on every other /api route.
  const apiIdentity = requireApiIdentity(handoff);
  const pageIdentity = requireIdentity(handoff, (req, res, reason) => {
    if (reason === "invalid") clearSessionCookie(res);
    // A GET comes back here after signing in; the sign-in page checks `next` is a local path.
    res.redirect(303, `/signin?next=${encodeURIComponent(req.originalUrl)}`);
  });

  router.get("/api/giveaways/:id/events", apiIdentity, eventsEndpoint(handoff));
  router.get("/giveaways/:id/audit", documentSecurityHeaders(handoff.config), pageIdentity, auditPage(handoff));
  return router;
}

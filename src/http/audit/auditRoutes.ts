// The audit: a giveaway's stored events as JSON or NDJSON, and a page that replays its conversation.
import express from "express";
import type { Handoff } from "../../app/handoff.ts";
import { clearSessionCookie, requireIdentity } from "../authentication.ts";
import { auditPage } from "./auditPage.ts";
import { eventsEndpoint, sendApiError } from "./eventsEndpoint.ts";

export function auditRoutes(handoff: Handoff): express.Router {
  const router = express.Router();

  const apiIdentity = requireIdentity(handoff, (_req, res, reason) => {
    if (reason === "cross_site") return sendApiError(res, 403, "cross_site_request", "cross-site request refused");
    if (reason === "missing") return sendApiError(res, 401, "unauthenticated", "sign in first: send a Bearer token or the session cookie");
    return sendApiError(res, 401, "invalid_token", "the token is invalid or has expired");
  });
  const pageIdentity = requireIdentity(handoff, (req, res, reason) => {
    if (reason === "invalid") clearSessionCookie(res);
    // A GET comes back here after signing in; the sign-in page checks `next` is a local path.
    res.redirect(303, `/signin?next=${encodeURIComponent(req.originalUrl)}`);
  });

  router.get("/api/giveaways/:id/events", apiIdentity, eventsEndpoint(handoff));
  router.get("/giveaways/:id/audit", pageIdentity, auditPage(handoff));
  return router;
}

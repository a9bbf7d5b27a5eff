// The express application (health, the JSON API, the server-rendered pages) and the event streams served before it.
import express from "express";
import type { Handoff } from "../app/handoff.ts";
import { metricsRegistry } from "../observability/metrics.ts";
import { streamsApi } from "./api/streamsApi.ts";
import { apiRoutes } from "./apiRoutes.ts";
import { auditRoutes } from "./audit/auditRoutes.ts";
import { unknownApiRoute } from "./api/apiErrors.ts";
import { pageErrorHandler, pageRoutes, pageStreamRoutes } from "./pageRoutes.ts";
import { createPageRenderer } from "./pages/pageRenderer.ts";
import { requestLog } from "./requestLog.ts";
import { healthRoutes } from "./healthRoutes.ts";
import { streamRouter, type StreamRouter } from "./sse/streamRoutes.ts";

export function createApp(handoff: Handoff): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // No hash of every answer for an ETag: API answers are no-store and pages carry a fresh CSRF token;
  // photos and attachments set their own (the sha256), static files keep Last-Modified.
  app.set("etag", false);
  // req.ip (the abuse limits' client address): the socket's peer, or behind one trusted reverse
  // proxy the address that proxy appended to X-Forwarded-For (never one a client wrote itself).
  app.set("trust proxy", handoff.config.trustProxy ? 1 : false);
  app.use(requestLog(handoff.newId));

  // Prometheus text format, from the one registry every part records into (docs/operations.md).
  app.get("/metrics", async (_req, res) => {
    res.set("Content-Type", metricsRegistry.contentType).set("Cache-Control", "no-store");
    res.send(await metricsRegistry.metrics());
  });

  app.use(healthRoutes(handoff));

  app.use(auditRoutes(handoff));
  app.use("/api", apiRoutes(handoff));
  app.use(pageRoutes(handoff));
  // Last: whatever a router above passed on (the audit's routes, a path express could not decode).
  app.use("/api", unknownApiRoute);
  app.use(pageErrorHandler(handoff, createPageRenderer(handoff)));
  return app;
}

/** GET /api/giveaways/:id/stream, /api/me/stream, /messages/:giveawayId/stream and /me/stream. */
export function createStreamRouter(handoff: Handoff): StreamRouter {
  return streamRouter([...streamsApi(handoff), ...pageStreamRoutes(handoff)], handoff.newId);
}

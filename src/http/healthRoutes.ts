// GET /healthz (liveness: restart me if 503) and GET /readyz (readiness: send me traffic only if 200).
// Both answer JSON with the reason when not; neither needs signing in (no user data in them).
import express from "express";
import { checkLiveness, checkReadiness, type HealthSources } from "../app/readiness.ts";

export function healthRoutes(handoff: HealthSources): express.Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => {
    const liveness = checkLiveness(handoff);
    res.setHeader("Cache-Control", "no-store");
    res.status(liveness.live ? 200 : 503).json({ status: liveness.status, ...(liveness.reason && { reason: liveness.reason }) });
  });
  router.get("/readyz", async (_req, res) => {
    const readiness = await checkReadiness(handoff);
    res.setHeader("Cache-Control", "no-store");
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? "ready" : "not_ready", ...readiness });
  });
  return router;
}

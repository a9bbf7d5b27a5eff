// The express application: health, the JSON + SSE API, and the server-rendered pages.
import express from "express";
import type { Handoff } from "../app/handoff.ts";
import { apiRoutes } from "./apiRoutes.ts";
import { auditRoutes } from "./audit/auditRoutes.ts";
import { pageRoutes } from "./pageRoutes.ts";

export function createApp(handoff: Handoff): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);

  app.get("/healthz", (_req, res) => {
    if (handoff.runner.isCaughtUp()) res.json({ status: "ok" });
    else res.status(503).json({ status: "starting" });
  });

  app.use(auditRoutes(handoff));
  app.use("/api", apiRoutes(handoff));
  app.use(pageRoutes(handoff));
  return app;
}

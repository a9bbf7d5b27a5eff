// The JSON + SSE API under /api.
import express from "express";
import type { Handoff } from "../app/handoff.ts";

export function apiRoutes(_handoff: Handoff): express.Router {
  const router = express.Router();
  return router;
}

// The server-rendered pages (Eta + htmx).
import express from "express";
import type { Handoff } from "../app/handoff.ts";

export function pageRoutes(_handoff: Handoff): express.Router {
  const router = express.Router();
  return router;
}

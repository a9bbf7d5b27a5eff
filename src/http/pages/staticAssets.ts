// The pages' static files under /assets: our CSS and chat.js, and htmx served from node_modules (no CDN);
// and the service worker at /sw.js (Web Push), at the root so its scope is the whole site.
import { createRequire } from "node:module";
import { join } from "node:path";
import express, { type Response } from "express";
import { publicDir } from "../../projectPaths.ts";

const require = createRequire(import.meta.url);
const vendored: Record<string, string> = {
  "/assets/htmx.min.js": require.resolve("htmx.org/dist/htmx.min.js"),
  "/assets/hx-sse.js": require.resolve("htmx.org/dist/ext/hx-sse.min.js"),
};

export function staticAssets(): express.Router {
  const router = express.Router();
  for (const [path, file] of Object.entries(vendored)) {
    router.get(path, (_req, res: Response) => res.sendFile(file, { maxAge: "1h" }));
  }
  // Never cached: a browser checks it for updates, and must see a new one at once.
  router.get("/sw.js", (_req, res: Response) => res.sendFile(join(publicDir, "sw.js"), { headers: { "Cache-Control": "no-cache", "Service-Worker-Allowed": "/" } }));
  router.use("/assets", express.static(publicDir, { maxAge: "10m", index: false, fallthrough: false }));
  return router;
}

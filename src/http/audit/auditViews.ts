// The audit pages' own Eta over views/ (templates under views/audit/), escaping every interpolation.
import { fileURLToPath } from "node:url";
import type { Response } from "express";
import { Eta } from "eta";

const viewsDir = fileURLToPath(new URL("../../../views", import.meta.url));
const eta = new Eta({ views: viewsDir, autoEscape: true, cache: true, autoTrim: [false, "nl"] });

// Nothing on these pages needs a script: even a template mistake could not run one.
const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function renderAuditView(res: Response, status: number, template: "page" | "refusal", data: object): void {
  const html = eta.render(`./audit/${template}`, data);
  res.status(status).setHeader("Content-Security-Policy", contentSecurityPolicy);
  res.setHeader("Cache-Control", "no-store");
  res.type("html").send(html);
}

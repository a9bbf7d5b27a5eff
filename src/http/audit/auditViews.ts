// The audit pages' own Eta over views/ (templates under views/audit/), escaping every interpolation.
import type { Response } from "express";
import { Eta } from "eta";
import { viewsDir } from "../../projectPaths.ts";

const eta = new Eta({ views: viewsDir, autoEscape: true, cache: true, autoTrim: [false, "nl"] });

// Our own script and styles only (the script shows times in the reader's zone): a template mistake could run nothing else.
const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function renderAuditView(res: Response, status: number, template: "page" | "refusal", data: object): void {
  const html = eta.render(`./audit/${template}`, data);
  res.status(status).setHeader("Content-Security-Policy", contentSecurityPolicy);
  res.setHeader("Cache-Control", "no-store");
  res.type("html").send(html);
}

// Who may see a page: signed-in users; everyone else goes to sign in and comes back after.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import type { TokensServices } from "../../app/services.ts";
import type { EdgeContext, IdentityRefusal } from "../authentication.ts";
import { clearSessionCookie, identify, requireIdentity, type RequestIdentity } from "../authentication.ts";
import { comesFromOurOrigin, type OriginConfig } from "../edge/origin.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { pageRefusal, type PageRefusal } from "./pageRefusals.ts";

/** Only a local path may be a return target: never another site ("//evil", "/\\evil", "https://..."). */
export function safeReturnPath(candidate: unknown): string | undefined {
  if (typeof candidate !== "string" || candidate.length > 500) return undefined;
  if (!candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")) return undefined;
  if (/[\u0000-\u001f\\]/.test(candidate)) return undefined;
  return candidate;
}

export function signInPath(returnTo?: string): string {
  const next = safeReturnPath(returnTo);
  return next && next !== "/" ? `/signin?next=${encodeURIComponent(next)}` : "/signin";
}

export function renderRefusal(renderer: PageRenderer, res: Response, refusal: PageRefusal, identity?: RequestIdentity, backLink?: { href: string; label: string }): void {
  renderer.page(res, refusal.status, "./refusal", { title: refusal.title, identity, refusal, backLink });
}

/**
 * Pages: a cross-site write with the cookie gets a readable 403; no or a bad session goes to sign in
 * (a GET comes back to where it was going).
 */
export function requirePageIdentity(handoff: EdgeContext, renderer: PageRenderer) {
  return requireIdentity(handoff, (req, res, reason) => {
    if (reason === "cross_site") return renderRefusal(renderer, res, pageRefusal("cross_site"));
    if (reason === "invalid" || reason === "suspended") clearSessionCookie(res);
    if (reason === "suspended") return renderRefusal(renderer, res, pageRefusal("suspended"));
    res.redirect(303, signInPath(req.method === "GET" ? req.originalUrl : undefined));
  });
}

/** A short plain-text answer for scripts; plain node writes, so the streams served without express share it. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

/** Streams and background posts: a status the script understands, never a redirect to a page. */
export function refuseStreamIdentity(req: IncomingMessage, res: ServerResponse, reason: IdentityRefusal): void {
  if (reason === "cross_site") return sendText(res, 403, "cross-site request refused");
  if (reason === "suspended") return sendText(res, 403, "this account is suspended by a moderator");
  // htmx follows HX-Redirect on a stream's first connection; chat.js handles a 401 on reconnects.
  res.setHeader("HX-Redirect", signInPath(pathOf(req.headers["hx-current-url"])));
  sendText(res, 401, "sign in first");
}

export function requireStreamIdentity(handoff: EdgeContext) {
  return requireIdentity(handoff, refuseStreamIdentity);
}

function pathOf(url: string | string[] | undefined): string | undefined {
  if (typeof url !== "string" || !url) return undefined;
  try {
    const parsed = new URL(url, "http://localhost");
    return parsed.pathname + parsed.search;
  } catch {
    return undefined;
  }
}

/** Sign-in pages: whoever is already signed in (if anyone), without requiring it. */
export function optionalIdentity(handoff: TokensServices, req: Request): RequestIdentity | undefined {
  const identity = identify(req, handoff.tokens);
  return typeof identity === "string" ? undefined : identity;
}

/**
 * Sign-in and registration carry no cookie yet, so requireIdentity's check does not cover them:
 * a form must name our origin (Origin, else Referer), or it is refused (login CSRF).
 */
export function refuseForeignOrigin(handoff: { config: OriginConfig }, 
renderer: PageRenderer) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!comesFromOurOrigin(req, handoff.config)) return renderRefusal(renderer, res, pageRefusal("cross_site"));
    next();
  };
}

// The platform's one-time sign-in links: /sso?token=<platform JWT>&next=<path> checks and spends the
// token (signInLinks.ts), starts the same revocable session as a password sign-in and goes on to
// `next`, a local path only. A GET that signs in is fine here: the link works once, like a magic link.
import { randomUUID } from "node:crypto";
import express, { type Request, type Response } from "express";
import type { Configured, TokensServices } from "../../app/services.ts";
import { PlatformTokenError } from "../../app/platformTokens.ts";
import { AccountSuspended, type SignInLinks } from "../../app/signInLinks.ts";
import type { Account, Session } from "../../app/userAccounts.ts";
import { statusOf } from "../errorAnswers.ts";
import { setSessionCookie } from "../authentication.ts";
import { renderRefusal, safeReturnPath } from "./pageAccess.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { pageRefusal, sentence, type PageRefusal } from "./pageRefusals.ts";

export function ssoPages(handoff: TokensServices & Configured, 
renderer: PageRenderer, links: SignInLinks | undefined): express.Router {
  const router = express.Router();

  router.get("/sso", async (req: Request, res: Response) => {
    keepTokenPrivate(res);
    if (!links) return renderRefusal(renderer, res, pageRefusal("not_found"));
    const signedIn = await redeemLink(links, req.query.token, res);
    if ("status" in signedIn) return renderRefusal(renderer, res, signedIn);
    const { token, expiresAt } = handoff.tokens.issue(signedIn.account, signedIn.session);
    setSessionCookie(req, res, token, expiresAt, handoff.config);
    res.redirect(303, safeReturnPath(req.query.next) ?? "/inbox");
  });

  return router;
}

/** A token in the URL: kept out of Referer headers and out of every cache. */
export function keepTokenPrivate(res: Response): void {
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("Cache-Control", "no-store");
}

/** The account and new session a link signs in, or the page that says why not (Retry-After on a 503). */
export async function redeemLink(links: SignInLinks, token: unknown, res: Response): Promise<{ account: Account; session: Session } | PageRefusal> {
  try {
    if (typeof token !== "string" || token === "") throw new PlatformTokenError("invalid_token", "the link carries no token: open it again from the platform");
    return await links.redeem(token, randomUUID());
  } catch (error) {
    if (error instanceof AccountSuspended) return pageRefusal("suspended");
    if (!(error instanceof PlatformTokenError)) throw error;
    const refusal = linkRefusal(error);
    if (refusal.status === 503) res.setHeader("Retry-After", "5");
    return refusal;
  }
}

/** The platform's refusal with the API's status for its code, in the pages' words. */
export function linkRefusal(error: PlatformTokenError): PageRefusal {
  const status = statusOf(error.code);
  return { status, title: status >= 500 ? "Please try again in a moment" : "Please open the link again", message: sentence(error.message) };
}

// The chat framed in the platform's own pages: /embed/giveaways/:id/chat is the chat page without
// handoff's navigation, which only the EMBED_ORIGINS may frame. It signs in with a one-time platform
// token (?token=..., then 303 to itself without it) into a partitioned cookie of its own, so it
// works with third-party cookies blocked and never touches the top-level session.
import type { ServerResponse } from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Configured, TokensServices } from "../../app/services.ts";
import { PlatformTokenError } from "../../app/platformTokens.ts";
import type { SignInLinks } from "../../app/signInLinks.ts";
import { isId } from "../../domain/ids.ts";
import { identify, setEmbedSessionCookie } from "../authentication.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { pageRefusal, type PageRefusal } from "./pageRefusals.ts";
import { keepTokenPrivate, linkRefusal, redeemLink } from "./ssoPages.ts";

export function embedChatPath(giveawayId: string): string {
  return `/embed/giveaways/${giveawayId}/chat`;
}

/** A refusal inside the frame: the embed's layout, and no links to pages that would refuse the frame. */
export function renderEmbedRefusal(renderer: PageRenderer, res: Response, refusal: PageRefusal, embedOrigins: readonly string[]): void {
  renderer.page(res, refusal.status, "./refusal", { title: refusal.title, refusal, embed: true, embedOrigins });
}

/** Sets the pages' security headers, framable by `origins` only (none: nobody). */
export type FramingHeaders = (res: ServerResponse, frameAncestors: readonly string[]) => void;

export function embedPages(handoff: TokensServices & Configured, 
renderer: PageRenderer, links: SignInLinks | undefined, framingHeaders: FramingHeaders): express.Router {
  const router = express.Router();
  const origins = handoff.config.embedOrigins;
  const refuse = (res: Response, refusal: PageRefusal) => renderEmbedRefusal(renderer, res, refusal, origins);

  router.get("/embed/giveaways/:giveawayId/chat", async (req: Request, res: Response, next: NextFunction) => {
    framingHeaders(res, origins);
    const giveawayId = req.params.giveawayId;
    if (!isId(giveawayId)) return refuse(res, pageRefusal("not_found"));
    if (req.query.token !== undefined) {
      keepTokenPrivate(res);
      if (!links) return refuse(res, pageRefusal("not_found"));
      const signedIn = await redeemLink(links, req.query.token, res);
      if ("status" in signedIn) return refuse(res, signedIn);
      const { token, expiresAt } = handoff.tokens.issue(signedIn.account, signedIn.session);
      setEmbedSessionCookie(res, token, expiresAt);
      return res.redirect(303, embedChatPath(giveawayId));
    }
    if (typeof identify(req, handoff.tokens) === "string") {
      return refuse(res, linkRefusal(new PlatformTokenError("invalid_token", "this chat's sign-in has ended: open it again from the platform's page")));
    }
    next(); // the chat page draws it, with the embed's layout (chatPage.ts)
  });

  // The chat's forms without script answer 303 to /messages/:id: inside the frame, that is the embed.
  router.get("/messages/:giveawayId", (req: Request, res: Response, next: NextFunction) => {
    const identity = identify(req, handoff.tokens);
    const giveawayId = req.params.giveawayId;
    if (typeof identity === "string" || identity.by !== "embed_cookie" || !isId(giveawayId)) return next();
    const query = req.originalUrl.indexOf("?");
    res.redirect(303, embedChatPath(giveawayId) + (query < 0 ? "" : req.originalUrl.slice(query)));
  });

  return router;
}

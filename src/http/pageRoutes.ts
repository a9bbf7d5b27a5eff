// The server-rendered pages (Eta + htmx): sign-in, giveaways, inbox, the chat and its streams.
import { moderationPages } from "./pages/moderationPages.ts";
import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Handoff } from "../app/handoff.ts";
import type { TokensServices } from "../app/services.ts";
import { identify } from "./authentication.ts";
import { answerFailure, type Failure } from "./edge/failures.ts";
import type { OriginConfig } from "./edge/origin.ts";
import { setDocumentSecurityHeaders } from "./edge/securityHeaders.ts";
import { statusOf } from "./errorAnswers.ts";
import { chatPage } from "./pages/chatPage.ts";
import { conversationActions } from "./pages/conversationActions.ts";
import { blockPages } from "./pages/blockPages.ts";
import { reportPages } from "./pages/reportPages.ts";
import { chatStream } from "./pages/chatStream.ts";
import { giveawayPages } from "./pages/giveawayPages.ts";
import { inboxPage } from "./pages/inboxPage.ts";
import { pickupPages } from "./pages/pickupPages.ts";
import { profilePages } from "./pages/profilePages.ts";
import { ratingPages } from "./pages/ratingPages.ts";
import { optionalIdentity, refuseStreamIdentity, renderRefusal, requirePageIdentity } from "./pages/pageAccess.ts";
import { createPageRenderer, type PageRenderer } from "./pages/pageRenderer.ts";
import { pageRefusal, sentence, type PageRefusal } from "./pages/pageRefusals.ts";
import { sessionPages } from "./pages/sessionPages.ts";
import { ssoPages } from "./pages/ssoPages.ts";
import { embedPages, type FramingHeaders } from "./pages/embedPages.ts";
import { emailPages } from "./pages/emailPages.ts";
import { staticAssets } from "./pages/staticAssets.ts";
import { userStream } from "./pages/userStream.ts";
import type { SignedInStreamHandler, StreamRoute } from "./sse/streamRoutes.ts";

/**
 * Defence in depth: even an HTML injection could run no script but ours, and no site may frame us.
 * Pictures may also come from the platform's image origins (PLATFORM_IMAGE_ORIGINS).
 */
function pageContentSecurityPolicy(imageOrigins: readonly string[], frameAncestors: readonly string[] = []): string {
  const images = ["'self'", "data:", ...imageOrigins].join(" ");
  const framers = frameAncestors.length > 0 ? frameAncestors.join(" ") : "'none'";
  return `default-src 'self'; script-src 'self'; style-src 'self'; img-src ${images}; connect-src 'self'; form-action 'self'; frame-ancestors ${framers}; base-uri 'none'; object-src 'none'`;
}

function setPageSecurityHeaders(req: IncomingMessage, res: ServerResponse, contentSecurityPolicy: string, config: OriginConfig): void {
  res.setHeader("Content-Security-Policy", contentSecurityPolicy);
  setDocumentSecurityHeaders(req, res, config);
}

function pageSecurityHeaders(contentSecurityPolicy: string, config: OriginConfig) {
  return (req: Request, res: Response, next: NextFunction) => {
    setPageSecurityHeaders(req, res, contentSecurityPolicy, config);
    next();
  };
}

export function pageRoutes(handoff: Handoff): express.Router {
  const router = express.Router();
  const renderer = createPageRenderer(handoff);
  const signedIn = requirePageIdentity(handoff, renderer);

  router.use(pageSecurityHeaders(pageContentSecurityPolicy(handoff.config.platform?.imageOrigins ?? []), handoff.config));
  router.use(staticAssets());
  router.use(express.urlencoded({ extended: false, limit: "64kb", parameterLimit: 20 }));

  router.use(sessionPages(handoff, renderer));
  // The platform's one-time links: /sso, and the chat framed in its pages (only they may frame it).
  const framingHeaders: FramingHeaders = (res, frameAncestors) => {
    res.setHeader("Content-Security-Policy", pageContentSecurityPolicy(handoff.config.platform?.imageOrigins ?? [], frameAncestors));
    if (frameAncestors.length > 0) res.removeHeader("X-Frame-Options");
  };
  const signInLinks = handoff.platform.links;
  router.use(ssoPages(handoff, renderer, signInLinks));
  router.use(embedPages(handoff, renderer, signInLinks, framingHeaders));
  // The links e-mails carry: whoever holds one may use it, signed in or not.
  router.use(emailPages(handoff, renderer));
  // Someone new first reads what handoff is; someone signed in goes straight to the giveaways.
  router.get("/", (req: Request, res: Response) =>
    typeof identify(req, handoff.tokens) === "string" ? renderer.page(res, 200, "./landing", { title: "Give things away, agree on the pickup" }) : res.redirect(303, "/giveaways"),
  );
  // The read mark answers with statuses (never a sign-in page) to scripts; the streams are pageStreamRoutes, before express.
  router.use(chatPage(handoff, renderer, signedIn));
  router.use(conversationActions(handoff, renderer, signedIn));
  router.use(blockPages(handoff, renderer, signedIn));
  router.use(reportPages(handoff, renderer, signedIn));
  router.use(moderationPages(handoff, renderer, signedIn));
  router.use(signedIn); // every other page
  router.use(giveawayPages(handoff, renderer));
  router.use(inboxPage(handoff, renderer));
  router.use(pickupPages(handoff, renderer));
  router.use(ratingPages(handoff, renderer));
  router.use(profilePages(handoff, renderer));

  router.use((req: Request, res: Response) => renderRefusal(renderer, res, pageRefusal("not_found"), optionalIdentity(handoff, req)));
  router.use(pageErrorHandler(handoff, renderer));
  return router;
}

/** Any failure on a page: a readable page with the status (never a stack), or plain text if even that fails. */
export function pageErrorHandler(handoff: TokensServices, 
renderer: PageRenderer) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    answerFailure(error, req, res, res.locals.requestId as string | undefined, (failure) => {
      renderRefusal(renderer, res, pageFailure(failure), optionalIdentity(handoff, req));
    });
  };
}

/** A failure as a page shows it: the edge's own kinds in the pages' words, the API's refusals with their status and sentence. */
function pageFailure(failure: Failure): PageRefusal {
  switch (failure.code) {
    case "body_too_large":
    case "not_found":
    case "read_model_lagging":
    case "internal":
      return pageRefusal(failure.code);
    case "bad_json":
    case "bad_request":
    case "unsupported_encoding":
      return pageRefusal("bad_form");
    default:
      // A revision ahead of the log, a read model behind it, the store away: the status says which.
      return { status: statusOf(failure.code), title: failure.clientFault ? "Please check the link" : "Please try again in a moment", message: sentence(failure.message) };
  }
}

/** The pages' event streams, served before express: the same headers, and statuses (never a sign-in page) for scripts. */
export function pageStreamRoutes(handoff: Handoff): StreamRoute[] {
  const renderer = createPageRenderer(handoff);
  const signedIn = (path: string, handle: SignedInStreamHandler): StreamRoute => ({
    path,
    handle(req, res, params) {
      const identity = identify(req, handoff.tokens);
      if (typeof identity === "string") {
        // Set only on a refusal: set ahead, headers stay in a table per open stream (its head carries nosniff).
        setPageSecurityHeaders(req, res, pageContentSecurityPolicy(handoff.config.platform?.imageOrigins ?? []), handoff.config);
        res.setHeader("X-Request-Id", params.requestId);
        return refuseStreamIdentity(req, res, identity);
      }
      return handle(req, res, params, identity);
    },
  });
  return [signedIn("/messages/:giveawayId/stream", chatStream(handoff, renderer)), signedIn("/me/stream", userStream(handoff, renderer))];
}

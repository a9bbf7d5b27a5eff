// The links e-mails carry, as pages for whoever holds the link (no sign-in): GET /email/verify and
// GET /email/unsubscribe show what the link does and a button (a GET changes nothing: mail scanners
// open links), and the button's POST does it. POST /email/unsubscribe?token= is also RFC 8058's
// one-click target (List-Unsubscribe-Post), which mail programs send with no page at all.
import express, { type Request, type Response } from "express";
import type { Handoff } from "../../app/handoff.ts";
import type { TokensServices } from "../../app/services.ts";
import { optionalIdentity } from "./pageAccess.ts";
import type { PageRenderer } from "./pageRenderer.ts";

export type EmailPageServices = TokensServices & Pick<Handoff, "email" | "newId">;

/** The token from ?token= (anything else, or several: none). */
function tokenOf(req: Request): string {
  const token = (req.query as Record<string, unknown>).token;
  return typeof token === "string" ? token : "";
}

function requestIdOf(handoff: EmailPageServices, res: Response): string {
  return typeof res.locals.requestId === "string" ? res.locals.requestId : handoff.newId();
}

export function emailPages(handoff: EmailPageServices, renderer: PageRenderer): express.Router {
  const router = express.Router();
  const invalid = { title: "This link does not work", message: "It is not a link handoff made, or it has expired. Ask for a new one from your settings." };

  router.get("/email/verify", (req, res) => {
    const token = tokenOf(req);
    const valid = handoff.email.linkIsValid(token, "verify");
    renderer.page(res, valid ? 200 : 400, "./emailVerify", { title: valid ? "Confirm your e-mail address" : invalid.title, identity: optionalIdentity(handoff, req), step: valid ? "confirm" : "invalid", token, invalid });
  });

  router.post("/email/verify", async (req, res) => {
    const outcome = await handoff.email.addresses.verify(tokenOf(req), requestIdOf(handoff, res));
    const identity = optionalIdentity(handoff, req);
    if (!outcome.ok) {
      const message = outcome.code === "stale_link" ? "This link is for an address that has since been replaced: use the link in the newest mail." : invalid.message;
      return renderer.page(res, 400, "./emailVerify", { title: invalid.title, identity, step: "invalid", token: "", invalid: { ...invalid, message } });
    }
    renderer.page(res, 200, "./emailVerify", { title: "E-mail address confirmed", identity, step: "done", token: "", address: outcome.state.verified ?? "", invalid });
  });

  router.get("/email/unsubscribe", (req, res) => {
    const token = tokenOf(req);
    const valid = handoff.email.linkIsValid(token, "unsubscribe");
    renderer.page(res, valid ? 200 : 400, "./emailUnsubscribe", { title: valid ? "Unsubscribe from e-mails" : invalid.title, identity: optionalIdentity(handoff, req), step: valid ? "confirm" : "invalid", token, invalid });
  });

  router.post("/email/unsubscribe", async (req, res) => {
    const done = await handoff.email.unsubscribe(tokenOf(req), requestIdOf(handoff, res));
    const identity = optionalIdentity(handoff, req);
    if (!done) return renderer.page(res, 400, "./emailUnsubscribe", { title: invalid.title, identity, step: "invalid", token: "", invalid });
    renderer.page(res, 200, "./emailUnsubscribe", { title: "Unsubscribed", identity, step: "done", token: "", invalid });
  });

  return router;
}

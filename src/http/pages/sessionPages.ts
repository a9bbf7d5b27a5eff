// Sign in, register and sign out: forms that set (or clear) the HttpOnly session cookie.
import { randomUUID } from "node:crypto";
import express, { type Request, type Response } from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import type { Configured, LimitsServices, Reads, TokensServices } from "../../app/services.ts";
import { clearSessionCookie, isCrossSiteCookieWrite, setSessionCookie } from "../authentication.ts";
import { optionalIdentity, refuseForeignOrigin, renderRefusal, safeReturnPath } from "./pageAccess.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { domainRefusal, pageRefusal } from "./pageRefusals.ts";
import { untilSessionEnded } from "../sessionEnd.ts";
import { untilReadModelShows } from "../../projections/untilReadModelShows.ts";
import { clientIp, withPasswordHashing } from "../edge/rateLimits.ts";
import { passwordWorkPage, rateLimitedPage } from "./limitRefusals.ts";

const CredentialsForm = z.object({
  username: z.string().trim().max(64),
  password: z.string().max(500),
  next: z.string().optional(),
});

type FormView = { username: string; next: string | undefined; error?: string };

export type SessionPagesServices = Reads & TokensServices & Configured & LimitsServices & Pick<Handoff, "accounts">;

export function sessionPages(handoff: SessionPagesServices, 
renderer: PageRenderer): express.Router {
  const router = express.Router();
  const landing = (next: unknown) => safeReturnPath(next) ?? "/giveaways";

  const showForm = (res: Response, template: "./signin" | "./register", status: number, form: FormView) =>
    renderer.page(res, status, template, { title: template === "./signin" ? "Sign in" : "Create an account", form });

  const signIn = async (req: Request, res: Response, account: { id: string; username: string }, next: unknown) => {
    const session = await handoff.accounts.startSession(account, randomUUID());
    const { token, expiresAt } = handoff.tokens.issue(account, session);
    setSessionCookie(req, res, token, expiresAt, handoff.config);
    res.redirect(303, landing(next));
  };

  // With AUTH_MODE=platform, people arrive signed in through the platform's links (/sso, /embed).
  router.all(["/signin", "/register"], (req: Request, res: Response, next: express.NextFunction) => {
    if (handoff.config.authMode !== "platform") return next();
    renderRefusal(renderer, res, pageRefusal("local_accounts_disabled"), optionalIdentity(handoff, req));
  });

  router.get(["/signin", "/register"], (req: Request, res: Response) => {
    const next = safeReturnPath(req.query.next);
    if (optionalIdentity(handoff, req)) return res.redirect(303, landing(next));
    showForm(res, req.path === "/signin" ? "./signin" : "./register", 200, { username: "", next });
  });

  router.post("/signin", refuseForeignOrigin(handoff, renderer), async (req: Request, res: Response) => {
    const parsed = CredentialsForm.safeParse(req.body ?? {});
    if (!parsed.success) return showForm(res, "./signin", 422, { username: "", next: undefined, error: pageRefusal("bad_form").message });
    const { username, password, next } = parsed.data;
    const limited = await handoff.limits.signInAttempt(clientIp(req), username);
    if (limited) {
      const refusal = rateLimitedPage(res, limited);
      return showForm(res, "./signin", refusal.status, { username, next: safeReturnPath(next), error: refusal.message });
    }
    const checked = await withPasswordHashing(handoff, req, () => handoff.accounts.authenticate(username, password));
    if (!checked.ok) {
      await handoff.limits.signInSucceeded(username); // nothing was checked: not a failed sign-in either
      const refusal = passwordWorkPage(res, checked.refusal);
      return showForm(res, "./signin", refusal.status, { username, next: safeReturnPath(next), error: refusal.message });
    }
    const account = checked.value;
    if (!account) {
      const refusal = pageRefusal("wrong_credentials");
      return showForm(res, "./signin", refusal.status, { username, next: safeReturnPath(next), error: refusal.message });
    }
    await handoff.limits.signInSucceeded(username);
    if (handoff.tokens.isSuspended(account.id)) {
      const refusal = pageRefusal("suspended");
      return showForm(res, "./signin", refusal.status, { username, next: safeReturnPath(next), error: refusal.message });
    }
    await signIn(req, res, account, next);
  });

  router.post("/register", refuseForeignOrigin(handoff, renderer), async (req: Request, res: Response) => {
    const parsed = CredentialsForm.safeParse(req.body ?? {});
    if (!parsed.success) return showForm(res, "./register", 422, { username: "", next: undefined, error: pageRefusal("bad_form").message });
    const { username, password, next } = parsed.data;
    const limited = await handoff.limits.registration(clientIp(req));
    if (limited) {
      const refusal = rateLimitedPage(res, limited);
      return showForm(res, "./register", refusal.status, { username, next: safeReturnPath(next), error: refusal.message });
    }
    const registered = await withPasswordHashing(handoff, req, () => handoff.accounts.register({ username, password, correlationId: randomUUID() }));
    if (!registered.ok) {
      const refusal = passwordWorkPage(res, registered.refusal);
      return showForm(res, "./register", refusal.status, { username, next: safeReturnPath(next), error: refusal.message });
    }
    const result = registered.value;
    if (!result.ok) {
      const refusal = result.error.code === "username_taken" ? pageRefusal("username_taken") : domainRefusal(result.error);
      return showForm(res, "./register", refusal.status, { username, next: safeReturnPath(next), error: refusal.message });
    }
    // Names next to messages and giveaways come from the users read model.
    await untilReadModelShows(() => handoff.queries.userById(result.account.id) !== undefined);
    await signIn(req, res, result.account, next);
  });

  // Sign out (this session) or sign out everywhere (every session of the user): the session ends in
  // the user's stream, so the token is refused everywhere and its open streams end.
  router.post(["/signout", "/signout/everywhere"], async (req: Request, res: Response) => {
    // Signing someone out from another site is a (small) forgery too.
    if (isCrossSiteCookieWrite(req, handoff.config)) return renderRefusal(renderer, res, pageRefusal("cross_site"));
    const identity = optionalIdentity(handoff, req);
    if (identity) {
      if (req.path === "/signout") await handoff.accounts.endSession(identity.userId, identity.sessionId, randomUUID());
      else await handoff.accounts.endAllSessions(identity.userId, randomUUID());
      await untilSessionEnded(handoff, identity);
    }
    clearSessionCookie(res);
    res.redirect(303, "/signin");
  });

  return router;
}

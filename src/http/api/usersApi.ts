// Accounts and tokens: POST /users, POST /tokens, GET /me.
import express from "express";
import { z } from "zod";
import type { Handoff, ReadModelQueries } from "../../app/handoff.ts";
import type { Config } from "../../config.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { ApiError } from "./apiErrors.ts";
import { parseBody } from "./requestInput.ts";
import { requestIdOf, requireApiIdentity } from "./requestContext.ts";
import { untilSessionEnded } from "../sessionEnd.ts";
import { untilReadModelShows } from "../../projections/untilReadModelShows.ts";
import { clientIp, passwordWorkError, rateLimitedError, withPasswordHashing } from "../edge/rateLimits.ts";

// Only the shape here: the username and password rules are the domain's (invalid_username, invalid_password).
const CredentialsSchema = z.object({
  username: z.string().trim(),
  password: z.string(),
});

/** What the account routes use: accounts, tokens, the sign-in limits and whether a session has ended; nothing else. */
export type UserServices = EdgeContext &
  Pick<Handoff, "accounts" | "limits"> & { queries: Pick<ReadModelQueries, "sessionHasEnded" | "userById">; config: Pick<Config, "authMode"> };

/** With AUTH_MODE=platform, people sign in through the platform only: no registration, no passwords. */
function refuseLocalAccounts(handoff: UserServices): express.RequestHandler {
  return (_req, _res, next) => {
    if (handoff.config.authMode === "platform") throw new ApiError("local_accounts_disabled", "this service signs people in through the platform: registration and passwords are off");
    next();
  };
}

export function usersApi(handoff: UserServices): express.Router {
  const router = express.Router();

  router.post(["/users", "/tokens"], refuseLocalAccounts(handoff));

  router.post("/users", async (req, res) => {
    const limited = await handoff.limits.registration(clientIp(req));
    if (limited) throw rateLimitedError(limited);
    const { username, password } = parseBody(CredentialsSchema, req.body);
    const registered = await withPasswordHashing(handoff, req, () => handoff.accounts.register({ username, password, correlationId: requestIdOf(res) }));
    if (!registered.ok) throw passwordWorkError(registered.refusal);
    const result = registered.value;
    if (!result.ok) throw new ApiError(result.error.code, result.error.message);
    res.status(201).json({ id: result.account.id, username: result.account.username });
  });

  router.post("/tokens", async (req, res) => {
    const { username, password } = parseBody(CredentialsSchema, req.body);
    const limited = await handoff.limits.signInAttempt(clientIp(req), username);
    if (limited) throw rateLimitedError(limited);
    const checked = await withPasswordHashing(handoff, req, () => handoff.accounts.authenticate(username, password));
    if (!checked.ok) {
      await handoff.limits.signInSucceeded(username); // nothing was checked: not a failed sign-in either
      throw passwordWorkError(checked.refusal);
    }
    const account = checked.value;
    // One answer for an unknown name and a wrong password: which one is nobody's business.
    if (!account) throw new ApiError("invalid_credentials", "the username or the password is wrong");
    await handoff.limits.signInSucceeded(username);
    if (handoff.tokens.isSuspended(account.id)) throw new ApiError("suspended", "this account is suspended by a moderator");
    const session = await handoff.accounts.startSession(account, requestIdOf(res));
    const { token, expiresAt } = handoff.tokens.issue(account, session);
    res.status(201).json({ token, expiresAt: expiresAt.toISOString() });
  });

  // Sign out: this token's session ends; the token gets 401 everywhere, and its streams end.
  router.delete("/tokens/current", requireApiIdentity(handoff), async (_req, res) => {
    const identity = identityOf(res);
    await handoff.accounts.endSession(identity.userId, identity.sessionId, requestIdOf(res));
    await untilSessionEnded(handoff, identity);
    res.status(204).end();
  });

  // Sign out everywhere: every session of the caller's, this one included.
  router.delete("/tokens", requireApiIdentity(handoff), async (_req, res) => {
    const identity = identityOf(res);
    await handoff.accounts.endAllSessions(identity.userId, requestIdOf(res));
    await untilSessionEnded(handoff, identity);
    res.status(204).end();
  });

  // A platform user's `platformId` is their `sub` (null for a local account); `username` is the name shown.
  router.get("/me", requireApiIdentity(handoff), async (_req, res) => {
    const { userId, username } = identityOf(res);
    // A platform user's first request recorded their profile an instant ago: wait for it to show.
    await untilReadModelShows(() => handoff.queries.userById(userId) !== undefined);
    const user = handoff.queries.userById(userId);
    res.json({ id: userId, username, platformId: user?.platformSub ?? null, picture: user?.picture ?? null });
  });

  return router;
}

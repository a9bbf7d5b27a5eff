// Web Push subscriptions (docs/notifications.md): the server's VAPID public key, and a browser's
// subscription recorded or ended. POST /api/push/subscriptions {endpoint, keys:{p256dh, auth}} ->
// 201 (200 for an endpoint already recorded); DELETE /api/push/subscriptions?endpoint=<url> -> 204.
// An endpoint the outbound rule refuses (http, loopback, private) is 422 url_not_allowed.
import express from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import { untilReadModelShows } from "../../projections/untilReadModelShows.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { limitGiveawayActions } from "../edge/rateLimits.ts";
import { ApiError } from "./apiErrors.ts";
import { refuseWhileStopped } from "./giveawayCommands.ts";
import { commandContext, requireApiIdentity } from "./requestContext.ts";
import { parseBody, parseInput } from "./requestInput.ts";

export type PushServices = Pick<Handoff, "notifications" | "queries" | "runner" | "limits" | "pushPublicKey">;

const endpoint = z.string().min(1).max(2048);
const base64Url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+={0,2}$/, "must be base64url");

/** What PushSubscription.toJSON() gives (expirationTime and anything else it adds are not kept). */
const Subscription = z.object({ endpoint, keys: z.object({ p256dh: base64Url(200), auth: base64Url(100) }) });
const Unsubscription = z.object({ endpoint });

export function pushApi(handoff: EdgeContext & PushServices): express.Router {
  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);
  const isSubscribed = (userId: string, url: string) => handoff.queries.pushSubscriptionsOf(userId).some((each) => each.endpoint === url);

  // Public: a browser needs it before anyone is signed in to subscribe with.
  router.get("/push/public-key", (_req, res) => {
    res.json({ publicKey: handoff.pushPublicKey });
  });

  router.post("/push/subscriptions", signedIn, limitGiveawayActions(handoff), async (req, res) => {
    const subscription = parseBody(Subscription, req.body);
    refuseWhileStopped(handoff, ["notification_settings"]);
    const { userId } = identityOf(res);
    const outcome = await handoff.notifications.subscribe(userId, subscription, commandContext(res));
    if (!outcome.ok) throw new ApiError(outcome.code, outcome.message);
    const stands = () => handoff.queries.pushSubscriptionsOf(userId).some((each) => each.endpoint === subscription.endpoint && each.p256dh === subscription.keys.p256dh && each.auth === subscription.keys.auth);
    if (!(await untilReadModelShows(stands))) throw new ApiError("read_model_lagging", "the subscription was saved but is not visible yet: read again in a moment");
    res.status(outcome.created ? 201 : 200).json({ endpoint: subscription.endpoint });
  });

  router.delete("/push/subscriptions", signedIn, limitGiveawayActions(handoff), async (req, res) => {
    const { endpoint: url } = parseInput(Unsubscription, req.query);
    refuseWhileStopped(handoff, ["notification_settings"]);
    const { userId } = identityOf(res);
    await handoff.notifications.unsubscribe(userId, url, "user", commandContext(res));
    if (!(await untilReadModelShows(() => !isSubscribed(userId, url)))) throw new ApiError("read_model_lagging", "the change was saved but is not visible yet: read again in a moment");
    res.status(204).end();
  });
  return router;
}

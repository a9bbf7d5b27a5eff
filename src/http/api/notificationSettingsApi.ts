// A user's notification settings: GET / PUT /api/me/notifications {push, email, preview}. A PUT
// changes only the fields it names and answers the settings that now stand, once the read model
// (which the push and e-mail reactors read) shows them.
import express from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import type { NotificationSettings } from "../../domain/notificationSettings.ts";
import { untilReadModelShows } from "../../projections/untilReadModelShows.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { limitGiveawayActions } from "../edge/rateLimits.ts";
import { ApiError } from "./apiErrors.ts";
import { refuseWhileStopped } from "./giveawayCommands.ts";
import { commandContext, requireApiIdentity } from "./requestContext.ts";
import { parseBody } from "./requestInput.ts";

export type NotificationSettingsServices = Pick<Handoff, "notifications" | "queries" | "runner" | "limits">;

const SettingsChange = z
  .strictObject({ push: z.boolean().optional(), email: z.boolean().optional(), preview: z.boolean().optional() })
  .refine((change) => change.push !== undefined || change.email !== undefined || change.preview !== undefined, "name at least one of push, email, preview");

const sameSettings = (a: NotificationSettings, b: NotificationSettings) => a.push === b.push && a.email === b.email && a.preview === b.preview;

export function notificationSettingsApi(handoff: EdgeContext & NotificationSettingsServices): express.Router {
  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);

  router.get("/me/notifications", signedIn, (_req, res) => {
    res.json(handoff.queries.notificationSettingsOf(identityOf(res).userId));
  });

  router.put("/me/notifications", signedIn, limitGiveawayActions(handoff), async (req, res) => {
    const change = parseBody(SettingsChange, req.body);
    refuseWhileStopped(handoff, ["notification_settings"]);
    const { userId } = identityOf(res);
    const settings = await handoff.notifications.changeSettings(userId, change, commandContext(res));
    if (!(await untilReadModelShows(() => sameSettings(handoff.queries.notificationSettingsOf(userId), settings)))) {
      throw new ApiError("read_model_lagging", "the change was saved but is not visible yet: read again in a moment");
    }
    res.json(settings);
  });
  return router;
}

// The JSON API under /api (its event streams are streamsApi.ts, served before express). Reference: docs/api.md.
import express from "express";
import type { Handoff } from "../app/handoff.ts";
import { apiErrorHandler, unknownApiRoute } from "./api/apiErrors.ts";
import { attachmentsApi } from "./api/attachmentsApi.ts";
import { giveawayPhotosApi } from "./api/giveawayPhotosApi.ts";
import { avatarsApi } from "./api/avatarsApi.ts";
import { conversationApi } from "./api/conversationApi.ts";
import { giveawaysApi } from "./api/giveawaysApi.ts";
import { messagesApi } from "./api/messagesApi.ts";
import { pickupApi } from "./api/pickupApi.ts";
import { platformApi } from "./api/platformApi.ts";
import { assignRequestId, refuseCrossSiteWrites } from "./api/requestContext.ts";
import { usersApi } from "./api/usersApi.ts";
import { webhooksApi } from "./api/webhooksApi.ts";
import { ratingsApi } from "./api/ratingsApi.ts";
import { usersProfileApi } from "./api/usersProfileApi.ts";
import { moderationApi } from "./api/moderationApi.ts";
import { blocksApi } from "./api/blocksApi.ts";
import { reportsApi } from "./api/reportsApi.ts";
import { pushApi } from "./api/pushApi.ts";
import { notificationSettingsApi } from "./api/notificationSettingsApi.ts";
import { emailApi } from "./api/emailApi.ts";

/** Big enough for the longest message (2000 characters, even escaped), small enough to bound memory. */
export const apiBodyLimit = "16kb";

export function apiRoutes(handoff: Handoff): express.Router {
  const router = express.Router();
  router.use(assignRequestId(handoff.newId));
  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Content-Type-Options", "nosniff");
    next();
  });
  router.use(refuseCrossSiteWrites(handoff));
  router.use(express.json({ limit: apiBodyLimit }));
  router.use("/platform/webhooks", webhooksApi(handoff)); // the platform's, with a service key, before its catch-all
  router.use("/platform", platformApi(handoff)); // first: a service key never reaches the user routes
  router.use(usersApi(handoff));
  router.use(giveawaysApi(handoff));
  router.use(messagesApi(handoff));
  router.use(pickupApi(handoff));
  router.use(conversationApi(handoff));
  router.use(attachmentsApi(handoff));
  router.use(giveawayPhotosApi(handoff));
  router.use(avatarsApi(handoff));
  router.use(ratingsApi(handoff));
  router.use(usersProfileApi(handoff));
  router.use(blocksApi(handoff));
  router.use(reportsApi(handoff));
  router.use(moderationApi(handoff));
  router.use(pushApi(handoff));
  router.use(notificationSettingsApi(handoff));
  router.use(emailApi(handoff));
  router.use(unknownApiRoute);
  router.use(apiErrorHandler);
  return router;
}

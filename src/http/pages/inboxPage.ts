// The inbox: each conversation the user is in, the item's cover, the other person (with their avatar),
// the last message, the unread count, and a pickup reminder once it was sent.
import express, { type Request, type Response } from "express";
import type { Clock, Configured, Reads } from "../../app/services.ts";
import { identityOf } from "../authentication.ts";
import { avatarOfUser } from "./avatar.ts";
import { coverOf } from "./giveawayPictures.ts";
import { standingReminder } from "./standingReminder.ts";
import type { PageRenderer } from "./pageRenderer.ts";

export function inboxPage(handoff: Reads & Configured & Clock, 
renderer: PageRenderer): express.Router {
  const router = express.Router();
  const imageOrigins = handoff.config.platform?.imageOrigins ?? [];
  router.get("/inbox", (_req: Request, res: Response) => {
    const identity = identityOf(res);
    const { queries } = handoff;
    const conversations = queries.inboxFor(identity.userId).map((entry) => ({
      ...entry,
      cover: coverOf({ id: entry.giveawayId, title: entry.title, coverPhotoId: queries.giveawayById(entry.giveawayId)?.coverPhotoId ?? null }),
      otherAvatar: avatarOfUser(queries, { id: entry.otherUserId, username: entry.otherUsername }, imageOrigins),
      reminder: standingReminder(handoff, entry.giveawayId, identity.userId, handoff.now()),
    }));
    renderer.page(res, 200, "./inbox", { title: "Inbox", identity, conversations });
  });
  return router;
}

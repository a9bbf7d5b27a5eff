// A user's page, /users/:userId: their name and the ratings others gave them after handovers.
import express, { type Request, type Response } from "express";
import type { Configured, Reads } from "../../app/services.ts";
import { isId } from "../../domain/ids.ts";
import { identityOf } from "../authentication.ts";
import { userProfile } from "../api/usersProfileApi.ts";
import { avatarOf } from "./avatar.ts";
import { renderRefusal } from "./pageAccess.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { pageRefusal } from "./pageRefusals.ts";

export function profilePages(handoff: Reads & Configured, 
renderer: PageRenderer): express.Router {
  const router = express.Router();

  router.get("/users/:userId", (req: Request, res: Response) => {
    const identity = identityOf(res);
    const userId = req.params.userId;
    const profile = isId(userId) ? userProfile(handoff, userId) : undefined;
    if (!profile) return renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    renderer.page(res, 200, "./profile", {
      title: profile.username,
      identity,
      profile,
      isMe: profile.id === identity.userId,
      avatar: avatarOf({ username: profile.username, picture: profile.picture }, handoff.config.platform?.imageOrigins ?? []),
    });
  });

  return router;
}

// A user's public profile: GET /users/:id, their name and the ratings others gave them after handovers.
import express from "express";
import type { Handoff } from "../../app/handoff.ts";
import { isId } from "../../domain/ids.ts";
import { ApiError } from "./apiErrors.ts";
import type { EdgeContext } from "../authentication.ts";
import { requireApiIdentity } from "./requestContext.ts";

/** How many of the newest comments a profile shows. */
export const profileCommentCount = 10;

/** A user as their profile shows them (API and page alike), or undefined for nobody. */
export function userProfile(handoff: Pick<Handoff, "queries">, userId: string) {
  const user = handoff.queries.userById(userId);
  if (!user) return undefined;
  const latestComments = handoff.queries.latestRatingCommentsOf(userId, profileCommentCount).map(({ giveawayId, giveawayTitle, raterId, raterName, stars, comment, ratedAt }) => ({
    giveawayId, giveawayTitle, raterId, raterName, stars, comment, ratedAt,
  }));
  return {
    id: user.id,
    username: user.username,
    platformId: user.platformSub,
    picture: user.picture,
    ratings: { ...handoff.queries.ratingSummaryOf(userId), latestComments },
  };
}

export type UserProfile = NonNullable<ReturnType<typeof userProfile>>;

export function usersProfileApi(handoff: EdgeContext & Pick<Handoff, "queries">): express.Router {

  const router = express.Router();

  router.get("/users/:id", requireApiIdentity(handoff), (req, res) => {
    const profile = isId(req.params.id) ? userProfile(handoff, req.params.id) : undefined;
    if (!profile) throw new ApiError("user_not_found", "no such user");
    res.json(profile);
  });

  return router;
}

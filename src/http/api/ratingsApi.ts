// Rating the other side after the handover: PUT /giveaways/:id/rating (201 the first time, 200 for
// an edit or the same rating again). The domain decides (ratings.ts); docs/api.md has the errors.
import express from "express";
import { z } from "zod";
import type { Clock, LimitsServices, Reads } from "../../app/services.ts";
import { rateHandoverCommand } from "../../app/rateHandover.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { limitGiveawayActions } from "../edge/rateLimits.ts";
import { ApiError } from "./apiErrors.ts";
import { refuseWhileStopped, runGiveawayCommand, type CommandServices } from "./giveawayCommands.ts";
import { giveawayIdParam, parseBody } from "./requestInput.ts";
import { requireApiIdentity } from "./requestContext.ts";

// Only the shape here: the range of stars and the comment's length are the domain's (invalid_stars, invalid_comment).
const RatingSchema = z.object({ stars: z.number(), comment: z.string().optional() });

export type RatingsApiServices = EdgeContext & LimitsServices & CommandServices & Reads & Clock;

export function ratingsApi(handoff: RatingsApiServices): express.Router {

  const router = express.Router();

  // Stores an event for good: spends the giveaway-actions budget.
  router.put("/giveaways/:id/rating", requireApiIdentity(handoff), limitGiveawayActions(handoff), async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const input = parseBody(RatingSchema, req.body);
    const raterId = identityOf(res).userId;
    refuseWhileStopped(handoff, ["ratings"]);
    const earlier = handoff.queries.ratingBy(giveawayId, raterId);
    const result = await runGiveawayCommand(handoff, res, giveawayId, rateHandoverCommand(handoff.queries, giveawayId, raterId, input, handoff.now()));
    const rating = handoff.queries.ratingBy(giveawayId, raterId);
    if (!rating) throw new ApiError("read_model_lagging", "the rating was saved but is not visible yet: read again in a moment");
    res.status(earlier === undefined && result.appended.length > 0 ? 201 : 200).json(rating);
  });

  return router;
}

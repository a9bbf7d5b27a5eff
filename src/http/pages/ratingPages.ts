// The rating form on the chat page once the giveaway is completed (stars as radio buttons, a plain
// POST and a 303 back, with or without script), and the POST it sends.
import express, { type Request, type Response } from "express";
import { z } from "zod";
import type { Clock, Commands, LimitsServices, ReadYourWritesServices, Reads } from "../../app/services.ts";
import { rateHandoverCommand } from "../../app/rateHandover.ts";
import { isId } from "../../domain/ids.ts";
import { ratingCommentMaxLength, ratingWindowMs } from "../../domain/ratingsEvents.ts";
import { identityOf, type RequestIdentity } from "../authentication.ts";
import { clientIp } from "../edge/rateLimits.ts";
import { rateLimitedPage } from "./limitRefusals.ts";
import { pageCommandContext } from "./commandContext.ts";
import { renderRefusal } from "./pageAccess.ts";
import { pageAfterWrite } from "./pageReadYourWrites.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { domainRefusal, pageRefusal, type PageRefusal } from "./pageRefusals.ts";

// Only the shape: a missing or odd star count is the domain's invalid_stars, said in its words.
const RatingForm = z.object({ stars: z.string().max(10).optional(), comment: z.string().max(ratingCommentMaxLength * 4).optional() });

/** The chat page's rating panel for `viewerId`: "" unless the giveaway is completed and they are its giver or winner. */
export type RatingPanelServices = Reads & Clock;
export type RatingPagesServices = Reads & Clock & Commands & LimitsServices & ReadYourWritesServices;

export function ratingPanel(handoff: RatingPanelServices, renderer: PageRenderer, giveawayId: string, viewerId: string): string {
  const { queries } = handoff;
  const giveaway = queries.giveawayById(giveawayId);
  if (!giveaway || giveaway.status !== "completed" || giveaway.winnerId === null) return "";
  const isGiver = viewerId === giveaway.giverId;
  if (!isGiver && viewerId !== giveaway.winnerId) return "";
  const completedAt = queries.pickupRow(giveawayId)?.completedAt;
  const closesAt = completedAt ? new Date(Date.parse(completedAt) + ratingWindowMs).toISOString() : undefined;
  return renderer.partial("./partials/ratingForm", {
    giveawayId,
    other: isGiver ? { id: giveaway.winnerId, name: giveaway.winnerName ?? "the winner" } : { id: giveaway.giverId, name: giveaway.giverName },
    mine: queries.ratingBy(giveawayId, viewerId),
    open: closesAt !== undefined && handoff.now().toISOString() <= closesAt,
    closesAt,
    commentMaxLength: ratingCommentMaxLength,
  });
}

export function ratingPages(handoff: RatingPagesServices, 
renderer: PageRenderer): express.Router {
  const router = express.Router();

  const refuse = (res: Response, identity: RequestIdentity, giveawayId: string, refusal: PageRefusal) =>
    renderRefusal(renderer, res, refusal, identity, { href: `/messages/${giveawayId}#rating`, label: "Back to the chat" });

  router.post("/messages/:giveawayId/rating", async (req: Request, res: Response) => {
    const identity = identityOf(res);
    const giveawayId = String(req.params.giveawayId);
    if (!isId(giveawayId)) return renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    const limited = await handoff.limits.giveawayAction(clientIp(req), identity.userId);
    if (limited) return refuse(res, identity, giveawayId, rateLimitedPage(res, limited));
    const parsed = RatingForm.safeParse(req.body ?? {});
    if (!parsed.success) return refuse(res, identity, giveawayId, pageRefusal("bad_form"));
    const stars = parsed.data.stars === undefined || parsed.data.stars === "" ? Number.NaN : Number(parsed.data.stars);
    const command = rateHandoverCommand(handoff.queries, giveawayId, identity.userId, { stars, comment: parsed.data.comment }, handoff.now());
    const result = await handoff.commands(giveawayId, command, pageCommandContext(identity));
    if (!result.ok) {
      // A block says no more than that rating is not possible here.
      const refusal = result.error.code === "blocked" ? pageRefusal("blocked", "You can't rate this person.") : domainRefusal(result.error);
      return refuse(res, identity, giveawayId, refusal);
    }
    await handoff.readYourWrites.waitForGiveaway(giveawayId, result.revision);
    res.redirect(303, pageAfterWrite(`/messages/${giveawayId}`, result.revision, "#rating"));
  });

  return router;
}

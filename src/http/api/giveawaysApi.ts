// Giveaways: create, list, show, enter, draw.
import express from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import type { GiveawayView } from "../../projections/giveawaysProjection.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { ApiError } from "./apiErrors.ts";
import { awaitMinRevision, runGiveawayCommand, type CommandServices } from "./giveawayCommands.ts";
import { withPickup } from "./pickupApi.ts";
import { giveawayIdParam, integerText, parseBody, parseInput } from "./requestInput.ts";
import { requireApiIdentity } from "./requestContext.ts";
import { clientIp, limitGiveawayActions, rateLimitedError } from "../edge/rateLimits.ts";
import { freshlyOrThrow } from "../freshReads.ts";

// Lengths are the domain's rule (invalid_title, invalid_description); here only the shape.
const CreateGiveawaySchema = z.object({
  title: z.string(),
  description: z.string().optional(),
});

const ListQuerySchema = z.object({ limit: integerText(1, 500).optional() });

/** A 404 only once the read models have caught up with the log: it may have been made on another process a moment ago. */
function giveawayOrNotFound(handoff: Pick<Handoff, "queries" | "freshness">, giveawayId: string): Promise<GiveawayView> {
  return freshlyOrThrow(handoff, () => {
    const giveaway = handoff.queries.giveawayById(giveawayId);
    if (!giveaway) throw new ApiError("giveaway_not_found", "no such giveaway");
    return giveaway;
  });
}

/** What the giveaway routes use: the edge context, commands, the read models' queries and state, the limits, ids, time and the draw. */
export type GiveawayServices = EdgeContext & CommandServices & Pick<Handoff, "queries" | "limits" | "newId" | "now" | "pick">;

export function giveawaysApi(handoff: GiveawayServices): express.Router {
  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);

  router.post("/giveaways", signedIn, async (req, res) => {
    const limited = await handoff.limits.giveawayCreation(clientIp(req), identityOf(res).userId);
    if (limited) throw rateLimitedError(limited);
    const { title, description } = parseBody(CreateGiveawaySchema, req.body);
    const giveawayId = handoff.newId();
    const giverId = identityOf(res).userId;
    await runGiveawayCommand(handoff, res, giveawayId, { type: "CreateGiveaway", giveawayId, giverId, title, description, now: handoff.now() });
    res.status(201).location(`/api/giveaways/${giveawayId}`).json(withPickup(handoff, await giveawayOrNotFound(handoff, giveawayId), giverId));
  });

  router.get("/giveaways", signedIn, (req, res) => {
    const { limit } = parseInput(ListQuerySchema, req.query);
    res.json({ giveaways: handoff.queries.listGiveaways(limit ?? 100) });
  });

  router.get("/giveaways/:id", signedIn, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    await awaitMinRevision(handoff, giveawayId, { minRevision: (req.query as Record<string, unknown>).minRevision });
    res.json(withPickup(handoff, await giveawayOrNotFound(handoff, giveawayId), identityOf(res).userId));
  });

  router.post("/giveaways/:id/entries", signedIn, limitGiveawayActions(handoff), async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const userId = identityOf(res).userId;
    const result = await runGiveawayCommand(handoff, res, giveawayId, { type: "SubmitEntry", userId, now: handoff.now(), blockedBy: handoff.queries.blockersOf(userId) });
    // Entering again is no error: the entry already stands (200 instead of 201).
    res.status(result.appended.length > 0 ? 201 : 200).json(await giveawayOrNotFound(handoff, giveawayId));
  });

  router.post("/giveaways/:id/draw", signedIn, limitGiveawayActions(handoff), async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const by = identityOf(res).userId;
    await runGiveawayCommand(handoff, res, giveawayId, { type: "ConductDraw", by, now: handoff.now(), pick: handoff.pick });
    const { winnerId, winnerName, drawnAt } = await giveawayOrNotFound(handoff, giveawayId);
    res.json({ giveawayId, winnerId, winnerName, drawnAt });
  });

  return router;
}

// The pickup over the API: proposals and answers, the calendar file, handover, declining the prize,
// redraw and cancel. The domain decides; these routes only shape input and answers.
import express from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import type { Clock, Configured, Draws, Ids, LimitsServices, Reads } from "../../app/services.ts";
import { visibleTo } from "../../app/conversationAccessQuery.ts";
import type { GiveawayView } from "../../projections/giveawaysProjection.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { ApiError } from "./apiErrors.ts";
import { isId } from "../../domain/ids.ts";
import { conversationForReader } from "./conversationAccess.ts";
import { runGiveawayCommand, type CommandServices } from "./giveawayCommands.ts";
import { pickupCalendar } from "./pickupCalendar.ts";
import { pickupDetail, planOf } from "./pickupDetail.ts";
import { clientUuid, giveawayIdParam, parseBody } from "./requestInput.ts";
import { requireApiIdentity } from "./requestContext.ts";
import { limitGiveawayActions } from "../edge/rateLimits.ts";

const instant = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date and time with a zone, e.g. 2026-05-01T10:00:00Z" }).transform((text) => new Date(text));

// Lengths and the window's sense are the domain's (invalid_pickup); here only the shape.
const ProposalSchema = z.object({
  from: instant,
  to: instant,
  place: z.string(),
  note: z.string().optional(),
  /** Chosen by the client so a retried proposal is recognised; one is made when absent. */
  id: clientUuid.optional(),
});
const RedrawSchema = z.object({ replacing: clientUuid.optional() }).optional();
const CancelSchema = z.object({ reason: z.string().optional() }).optional();

/** A proposal id from the path: anything that is not the one id format (domain/ids.ts) names no proposal (404). */
function proposalIdParam(value: unknown): string {
  if (!isId(value)) throw new ApiError("proposal_not_found", "no such proposal");
  return value;
}

export type PickupApiServices = EdgeContext & LimitsServices & CommandServices & Reads & Clock & Ids & Draws & Configured;

export function pickupApi(handoff: PickupApiServices): express.Router {

  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);
  // Every step below stores an event for good: each spends the giveaway-actions budget.
  const limited = limitGiveawayActions(handoff);
  const policy = handoff.config.pickup;

  const detail = (giveawayId: string, userId: string) => {
    const giveaway = handoff.queries.giveawayById(giveawayId);
    if (!giveaway) throw new ApiError("giveaway_not_found", "no such giveaway");
    return withPickup(handoff, giveaway, userId);
  };
  const proposal = (giveawayId: string, proposalId: string) => {
    const found = handoff.queries.proposalById(giveawayId, proposalId);
    if (!found) throw new ApiError("read_model_lagging", "the proposal was saved but is not visible yet: read again in a moment");
    return found;
  };

  router.get("/giveaways/:id/pickup/proposals", signedIn, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const access = await conversationForReader(handoff, giveawayId, identityOf(res).userId);
    res.json({ proposals: visibleTo(access, handoff.queries.proposalsOf(giveawayId)) });
  });

  router.post("/giveaways/:id/pickup/proposals", signedIn, limited, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const { from, to, place, note, id } = parseBody(ProposalSchema, req.body);
    const proposalId = id ?? handoff.newId();
    const by = identityOf(res).userId;
    const result = await runGiveawayCommand(handoff, res, giveawayId, { type: "ProposePickup", proposalId, by, from, to, place, note, now: handoff.now() });
    res
      .status(result.appended.length > 0 ? 201 : 200)
      .location(`/api/giveaways/${giveawayId}/pickup/proposals/${proposalId}`)
      .json(proposal(giveawayId, proposalId));
  });

  for (const answer of ["accept", "decline"] as const) {
    router.post(`/giveaways/:id/pickup/proposals/:proposalId/${answer}`, signedIn, limited, async (req, res) => {
      const giveawayId = giveawayIdParam(req.params.id);
      const proposalId = proposalIdParam(req.params.proposalId);
      const by = identityOf(res).userId;
      const type = answer === "accept" ? "AcceptPickupProposal" : "DeclinePickupProposal";
      await runGiveawayCommand(handoff, res, giveawayId, { type, proposalId, by, now: handoff.now() });
      res.json({ proposal: proposal(giveawayId, proposalId), giveaway: detail(giveawayId, by) });
    });
  }

  router.get("/giveaways/:id/pickup.ics", signedIn, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const userId = identityOf(res).userId;
    const { giveaway, role } = await conversationForReader(handoff, giveawayId, userId);
    if (role === "former_winner") throw new ApiError("not_participant", "the pickup is between the giver and the current winner");
    const plan = planOf(handoff, giveawayId);
    if (!plan) throw new ApiError("pickup_not_agreed", "no pickup has been agreed yet");
    const withName = (userId === giveaway.giverId ? giveaway.winnerName : giveaway.giverName) ?? "?";
    res
      .type("text/calendar; charset=utf-8")
      .attachment(`pickup-${giveawayId}.ics`)
      .send(pickupCalendar({ ...plan, title: giveaway.title, withName }));
  });

  router.post("/giveaways/:id/handover", signedIn, limited, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const by = identityOf(res).userId;
    await runGiveawayCommand(handoff, res, giveawayId, { type: "ConfirmHandover", by, now: handoff.now(), lastWordsMs: policy.lastWordsMs });
    res.json(detail(giveawayId, by));
  });

  router.post("/giveaways/:id/decline", signedIn, limited, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const by = identityOf(res).userId;
    await runGiveawayCommand(handoff, res, giveawayId, { type: "DeclinePrize", by, now: handoff.now() });
    res.json(detail(giveawayId, by));
  });

  router.post("/giveaways/:id/redraw", signedIn, limited, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const replacing = parseBody(RedrawSchema, req.body)?.replacing;
    const by = identityOf(res).userId;
    const result = await runGiveawayCommand(handoff, res, giveawayId, {
      type: "RedrawWinner", by, now: handoff.now(), noShowAfterMs: policy.noShowAfterMs, pick: handoff.pick, replacing,
    });
    const redrawn = result.appended.find((appended) => appended.event.type === "WinnerRedrawn")?.event;
    const { winnerId, winnerName } = detail(giveawayId, by);
    const previousWinnerId = redrawn?.type === "WinnerRedrawn" ? redrawn.data.previousWinnerId : (replacing ?? null);
    res.json({ giveawayId, winnerId, winnerName, previousWinnerId });
  });

  router.post("/giveaways/:id/cancel", signedIn, limited, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const reason = parseBody(CancelSchema, req.body)?.reason;
    const by = identityOf(res).userId;
    await runGiveawayCommand(handoff, res, giveawayId, { type: "CancelGiveaway", by, reason, now: handoff.now(), lastWordsMs: policy.lastWordsMs });
    res.json(detail(giveawayId, by));
  });

  return router;
}

/** A giveaway as GET /api/giveaways/:id shows it to `userId`. */
export function withPickup(handoff: Pick<Handoff, "queries" | "now">, giveaway: GiveawayView, userId: string) {
  return { ...giveaway, ...pickupDetail(handoff, giveaway, userId) };
}

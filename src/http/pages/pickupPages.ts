// The pickup's buttons and forms in the chat: plain POSTs answered with 303 back to the chat (no
// script needed); the other person sees each change live on their stream. And the calendar file.
import express, { type Request, type Response } from "express";
import { z } from "zod";
import { readerAccess } from "../../app/conversationAccessQuery.ts";
import type { Clock, Commands, Configured, Draws, Ids, LimitsServices, ReadYourWritesServices, Reads } from "../../app/services.ts";
import type { GiveawayCommand } from "../../domain/giveawayDecide.ts";
import { IdSchema, isId } from "../../domain/ids.ts";
import { identityOf, type RequestIdentity } from "../authentication.ts";
import { pickupCalendar } from "../api/pickupCalendar.ts";
import { planOf } from "../api/pickupDetail.ts";
import { pageCommandContext } from "./commandContext.ts";
import { renderRefusal } from "./pageAccess.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { domainRefusal, pageRefusal, type PageRefusal } from "./pageRefusals.ts";
import { pageAfterWrite } from "./pageReadYourWrites.ts";
import { clientIp } from "../edge/rateLimits.ts";
import { rateLimitedPage } from "./limitRefusals.ts";
import { freshly, refusedStaleably, type FreshnessSource } from "../freshReads.ts";
import type { PickupErrorCode } from "../../domain/pickupErrors.ts";
import { pickupPanel, type PickupPanel } from "./pickupView.ts";

const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/);

const ProposalForm = z.object({
  id: IdSchema,
  from: localTime,
  to: localTime,
  place: z.string().max(2000),
  note: z.string().max(5000).optional(),
  /** The browser's getTimezoneOffset() (minutes), filled in by pickup.js; without script, UTC. */
  tzOffset: z.coerce.number().int().min(-900).max(900).default(0),
});
const RedrawForm = z.object({ replacing: IdSchema.optional() });
const CancelForm = z.object({ reason: z.string().max(5000).optional() });

/** Why a pickup step is no longer on offer, as the domain would refuse it. */
function stateCode(panel: PickupPanel): PickupErrorCode {
  if (panel.status === "completed") return "giveaway_completed";
  if (panel.status === "cancelled") return "giveaway_cancelled";
  if (panel.prizeDeclinedAt) return "prize_declined";
  if (panel.handedOverAt || panel.receivedAt) return "handover_started";
  return "conversation_read_only";
}

/** A datetime-local value in the browser's zone, as an instant. */
function instantOf(local: string, tzOffsetMinutes: number): Date {
  return new Date(Date.parse(`${local}Z`) + tzOffsetMinutes * 60_000);
}

export type PickupPagesServices = Reads & Clock & Ids & Draws & Commands & LimitsServices & ReadYourWritesServices & FreshnessSource & Configured;

export function pickupPages(handoff: PickupPagesServices, 
renderer: PageRenderer): express.Router {
  const router = express.Router();
  const policy = handoff.config.pickup;

  const refuse = (res: Response, identity: RequestIdentity, giveawayId: string, refusal: PageRefusal) =>
    renderRefusal(renderer, res, refusal, identity, { href: `/messages/${giveawayId}`, label: "Back to the chat" });

  /** Runs the command; on success back to the chat once the read models show it, else a readable refusal. */
  async function run(req: Request, res: Response, command: (identity: RequestIdentity, giveawayId: string) => GiveawayCommand | PageRefusal) {
    const identity = identityOf(res);
    const giveawayId = req.params.giveawayId;
    if (typeof giveawayId !== "string" || !isId(giveawayId)) return renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    // Every pickup step stores an event for good: each spends the giveaway-actions budget.
    const limited = await handoff.limits.giveawayAction(clientIp(req), identity.userId);
    if (limited) return refuse(res, identity, giveawayId, rateLimitedPage(res, limited));
    const built = command(identity, giveawayId);
    if ("status" in built) return refuse(res, identity, giveawayId, built);
    const result = await handoff.commands(giveawayId, built, pageCommandContext(identity));
    if (!result.ok) return refuse(res, identity, giveawayId, domainRefusal(result.error));
    await handoff.readYourWrites.waitForGiveaway(giveawayId, result.revision);
    res.redirect(303, pageAfterWrite(`/messages/${giveawayId}`, result.revision, "#pickup-panel"));
  }

  router.post("/messages/:giveawayId/pickup/proposals", (req, res) =>
    run(req, res, (identity) => {
      const parsed = ProposalForm.safeParse(req.body ?? {});
      if (!parsed.success) return pageRefusal("bad_form", "Please give a start and an end (date and time) and a place.");
      const { id, from, to, place, note, tzOffset } = parsed.data;
      return { type: "ProposePickup", proposalId: id, by: identity.userId, from: instantOf(from, tzOffset), to: instantOf(to, tzOffset), place, note, now: handoff.now() };
    }),
  );

  for (const answer of ["accept", "decline"] as const) {
    router.post(`/messages/:giveawayId/pickup/proposals/:proposalId/${answer}`, (req, res) =>
      run(req, res, (identity) => {
        const proposalId = req.params.proposalId;
        if (!isId(proposalId)) return pageRefusal("proposal_not_found");
        const type = answer === "accept" ? "AcceptPickupProposal" : "DeclinePickupProposal";
        return { type, proposalId, by: identity.userId, now: handoff.now() };
      }),
    );
  }

  router.post("/messages/:giveawayId/handover", (req, res) =>
    run(req, res, (identity) => ({ type: "ConfirmHandover", by: identity.userId, now: handoff.now(), lastWordsMs: policy.lastWordsMs })),
  );
  router.post("/messages/:giveawayId/decline", (req, res) => run(req, res, (identity) => ({ type: "DeclinePrize", by: identity.userId, now: handoff.now() })));
  router.post("/messages/:giveawayId/redraw", (req, res) =>
    run(req, res, (identity) => {
      const parsed = RedrawForm.safeParse(req.body ?? {});
      if (!parsed.success) return pageRefusal("bad_form");
      return { type: "RedrawWinner", by: identity.userId, now: handoff.now(), noShowAfterMs: policy.noShowAfterMs, pick: handoff.pick, replacing: parsed.data.replacing };
    }),
  );
  router.post("/messages/:giveawayId/cancel", (req, res) =>
    run(req, res, (identity) => {
      const parsed = CancelForm.safeParse(req.body ?? {});
      if (!parsed.success) return pageRefusal("bad_form");
      return { type: "CancelGiveaway", by: identity.userId, reason: parsed.data.reason, now: handoff.now(), lastWordsMs: policy.lastWordsMs };
    }),
  );

  /** The reader's pickup panel for a page of its own (the sheet or a confirmation without script), or a refusal drawn. */
  async function panelFor(req: Request, res: Response) {
    const identity = identityOf(res);
    const giveawayId = req.params.giveawayId;
    if (typeof giveawayId !== "string" || !isId(giveawayId)) return void renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    const access = await freshly(handoff, () => readerAccess(handoff.queries, giveawayId, identity.userId, handoff.now()), refusedStaleably);
    if (!access.ok) return void refuse(res, identity, giveawayId, pageRefusal(access.code));
    if (access.role === "former_winner") return void refuse(res, identity, giveawayId, pageRefusal("not_participant"));
    return { identity, giveawayId, access, panel: pickupPanel(handoff, access, identity.userId) };
  }

  // Without script, "Propose a pickup" (and the like) opens the sheet as a page.
  router.get("/messages/:giveawayId/pickup/proposals", async (req, res) => {
    const found = await panelFor(req, res);
    if (!found) return;
    const { identity, giveawayId, panel } = found;
    if (!panel.sheetLabel) return refuse(res, identity, giveawayId, pageRefusal(stateCode(panel)));
    renderer.page(res, 200, "./pickupSheetPage", { title: panel.sheetLabel, identity, panel, proposalId: handoff.newId() });
  });

  // Without script, each action of the "More" menu asks on a page first; its form posts to the route above.
  for (const kind of ["decline", "redraw", "cancel"] as const) {
    router.get(`/messages/:giveawayId/${kind}`, async (req, res) => {
      const found = await panelFor(req, res);
      if (!found) return;
      const { identity, giveawayId, panel } = found;
      const ownRole = kind === "decline" ? "winner" : "giver";
      if (panel.role !== ownRole) return refuse(res, identity, giveawayId, pageRefusal(kind === "decline" ? "wrong_participant" : "not_giver"));
      const confirm = panel.confirms.find((asked) => asked.kind === kind);
      const redrawLater = kind === "redraw" && panel.redraw && panel.redraw.kind !== "open" ? panel.redraw : undefined;
      if (!confirm && !redrawLater) return refuse(res, identity, giveawayId, pageRefusal(stateCode(panel)));
      renderer.page(res, 200, "./confirm", { title: confirm?.question ?? "Not yet", identity, giveawayId, confirm, redrawLater });
    });
  }

  router.get("/messages/:giveawayId/pickup.ics", async (req, res) => {
    const identity = identityOf(res);
    const giveawayId = req.params.giveawayId;
    if (!isId(giveawayId)) return renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    const access = await freshly(handoff, () => readerAccess(handoff.queries, giveawayId, identity.userId, handoff.now()), refusedStaleably);
    if (!access.ok) return refuse(res, identity, giveawayId, pageRefusal(access.code));
    if (access.role === "former_winner") return refuse(res, identity, giveawayId, pageRefusal("not_participant"));
    const plan = planOf(handoff, giveawayId);
    if (!plan) return refuse(res, identity, giveawayId, pageRefusal("pickup_not_agreed"));
    res
      .type("text/calendar; charset=utf-8")
      .attachment(`pickup-${giveawayId}.ics`)
      .send(pickupCalendar({ ...plan, title: access.giveaway.title, withName: access.other.username }));
  });

  return router;
}

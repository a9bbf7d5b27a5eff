// Giveaways: the list with its create form (each with its cover and the giver's avatar), one giveaway's
// page (its photos, and the giver's "Add a photo"), entering, and the giver's draw.
import express, { type Request, type Response } from "express";
import { z } from "zod";
import { readerAccess } from "../../app/conversationAccessQuery.ts";
import { giveawaySight } from "../../app/giveawayVisibility.ts";
import type { Clock, Commands, Configured, Draws, Ids, LimitsServices, Reads } from "../../app/services.ts";
import { maxGiveawayPhotos } from "../../domain/giveawayPhotosEvents.ts";
import { avatarOfUser } from "./avatar.ts";
import { coverOf, photosOf } from "./giveawayPictures.ts";
import { standingReminder } from "./standingReminder.ts";
import { formerWinnerLabel } from "./pickupView.ts";
import type { GiveawayView } from "../../projections/giveawaysProjection.ts";
import type { ReadModelState } from "../api/giveawayCommands.ts";
import { descriptionMaxLength, titleMaxLength } from "../../domain/giveawayDecide.ts";
import { identityOf, type RequestIdentity } from "../authentication.ts";
import { pageCommandContext } from "./commandContext.ts";
import { renderRefusal } from "./pageAccess.ts";
import { IdSchema, isId } from "../../domain/ids.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { domainRefusal, pageRefusal, type PageRefusal } from "./pageRefusals.ts";
import { awaitPageMinRevision, pageAfterWrite } from "./pageReadYourWrites.ts";
import { clientIp } from "../edge/rateLimits.ts";
import { rateLimitedPage } from "./limitRefusals.ts";
import { freshly } from "../freshReads.ts";

const CreateForm = z.object({
  // Chosen when the form was drawn, so a form sent twice creates one giveaway.
  giveawayId: IdSchema,
  title: z.string().max(titleMaxLength * 4),
  description: z.string().max(descriptionMaxLength * 4).optional(),
});

type Draft = { giveawayId: string; title: string; description: string };

const giveawayStatusLabels: Record<GiveawayView["status"], string> = { open: "Open for entries", drawn: "Drawn", pickup_agreed: "Pickup agreed", completed: "Handed over", cancelled: "Cancelled" };

/** The chat's words for a cancel (partials/pickupPanel.eta). */
const cancelledNote = (reason: string | null | undefined) => `This giveaway was cancelled.${reason ? ` Reason: “${reason}”` : ""}`;

/** ReadModelState: the wait for a form's ?minRevision=, read-your-writes and the read models' catch-up. */
export type GiveawayPagesServices = Reads & Clock & Ids & Draws & Commands & LimitsServices & ReadModelState & Configured;

export function giveawayPages(handoff: GiveawayPagesServices, 
renderer: PageRenderer): express.Router {
  const router = express.Router();
  const { queries } = handoff;
  const imageOrigins = handoff.config.platform?.imageOrigins ?? [];
  const giverAvatar = (giveaway: { giverId: string; giverName: string | null }) => avatarOfUser(queries, { id: giveaway.giverId, username: giveaway.giverName ?? "?" }, imageOrigins);

  const showList = (res: Response, identity: RequestIdentity, status: number, draft?: Draft, error?: string) =>
    renderer.page(res, status, "./giveaways", {
      title: "Giveaways",
      identity,
      giveaways: queries.listGiveaways(200).map((giveaway) => ({ ...giveaway, cover: coverOf(giveaway), giverAvatar: giverAvatar(giveaway) })),
      draft: draft ?? { giveawayId: handoff.newId(), title: "", description: "" },
      error,
      limits: { titleMaxLength, descriptionMaxLength },
    });

  const showGiveaway = (res: Response, identity: RequestIdentity, giveawayId: string, status = 200, refusal?: PageRefusal) => {
    const sight = giveawaySight(queries, giveawayId, identity.userId);
    if (!sight.ok) return renderRefusal(renderer, res, pageRefusal(sight.code), identity, { href: "/giveaways", label: "All giveaways" });
    const { giveaway } = sight;
    const me = identity.userId;
    const photos = photosOf(queries, giveaway);
    const ended = giveaway.status === "completed" || giveaway.status === "cancelled";
    const reader = readerAccess(queries, giveawayId, me, handoff.now());
    const formerWinner = reader.ok && reader.role === "former_winner";
    renderer.page(res, refusal ? refusal.status : status, "./giveaway", {
      title: giveaway.title,
      identity,
      giveaway,
      isGiver: giveaway.giverId === me,
      hasEntered: queries.hasEntered(giveawayId, me),
      // The giver sees how others rated each entrant after earlier handovers.
      entrantRatings: giveaway.giverId === me ? queries.entrantRatings(giveawayId) : [],
      // Giver, winner or a former winner: whoever may read the conversation (the one participant rule).
      isParticipant: reader.ok,
      // A former winner and a cancelled giveaway's two people read what the chat says (pickupView.ts).
      badge: formerWinner ? { status: "redrawn", label: formerWinnerLabel } : { status: giveaway.status, label: giveawayStatusLabels[giveaway.status] },
      stateNote: !reader.ok ? undefined : formerWinner ? "The giver chose another winner. You can still read your conversation." : giveaway.status === "cancelled" ? cancelledNote(queries.pickupRow(giveawayId)?.cancelReason) : undefined,
      photos,
      giverAvatar: giverAvatar(giveaway),
      reminder: standingReminder(handoff, giveawayId, me, handoff.now()),
      // The giver adds photos until the handover (the decider says the same: giveawayPhotos.ts).
      photoUpload: giveaway.giverId === me && !ended && photos.length < maxGiveawayPhotos ? { max: maxGiveawayPhotos } : undefined,
      error: refusal?.message,
    });
  };

  router.get("/giveaways", (_req: Request, res: Response) => showList(res, identityOf(res), 200));

  router.post("/giveaways", async (req: Request, res: Response) => {
    const identity = identityOf(res);
    const parsed = CreateForm.safeParse(req.body ?? {});
    if (!parsed.success) return showList(res, identity, 422, undefined, pageRefusal("bad_form").message);
    const { giveawayId, title, description = "" } = parsed.data;
    const limited = await handoff.limits.giveawayCreation(clientIp(req), identity.userId);
    if (limited) return showList(res, identity, 429, { giveawayId, title, description }, rateLimitedPage(res, limited).message);
    const result = await handoff.commands(
      giveawayId,
      { type: "CreateGiveaway", giveawayId, giverId: identity.userId, title, description, now: handoff.now() },
      pageCommandContext(identity),
    );
    const isMyRetry = !result.ok && result.error.code === "giveaway_exists" && queries.giveawayById(giveawayId)?.giverId === identity.userId;
    if (!result.ok && !isMyRetry) {
      const refusal = domainRefusal(result.error);
      // A clash on the hidden id is not the person's doing: give the form a fresh one.
      const draft = { giveawayId: result.error.code === "giveaway_exists" ? handoff.newId() : giveawayId, title, description };
      return showList(res, identity, refusal.status, draft, refusal.message);
    }
    // The page it goes to reads the read models: wait until they show the write (or show it late).
    const revision = result.ok ? result.revision : 0;
    await handoff.readYourWrites.waitForGiveaway(giveawayId, revision);
    res.redirect(303, pageAfterWrite(`/giveaways/${giveawayId}`, revision));
  });

  router.get("/giveaways/:giveawayId", async (req: Request, res: Response) => {
    const identity = identityOf(res);
    const giveawayId = req.params.giveawayId;
    if (!isId(giveawayId)) return renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    await awaitPageMinRevision(handoff, giveawayId, req.query);
    // Made a moment ago through another process: caught up before a 404.
    await freshly(handoff, () => giveawaySight(queries, giveawayId, identity.userId), (sight) => !sight.ok);
    showGiveaway(res, identity, giveawayId);
  });

  router.post("/giveaways/:giveawayId/entries", async (req: Request, res: Response) => {
    const identity = identityOf(res);
    const giveawayId = req.params.giveawayId;
    if (!isId(giveawayId)) return renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    const limited = await handoff.limits.giveawayAction(clientIp(req), identity.userId);
    if (limited) return showGiveaway(res, identity, giveawayId, 429, rateLimitedPage(res, limited));
    const blockedBy = handoff.queries.blockersOf(identity.userId);
    const result = await handoff.commands(giveawayId, { type: "SubmitEntry", userId: identity.userId, now: handoff.now(), blockedBy }, pageCommandContext(identity));
    if (!result.ok) {
      const refusal = result.error.code === "blocked" ? pageRefusal("blocked", "You can't enter this giveaway.") : domainRefusal(result.error);
      return showGiveaway(res, identity, giveawayId, 200, refusal);
    }
    await handoff.readYourWrites.waitForGiveaway(giveawayId, result.revision);
    res.redirect(303, pageAfterWrite(`/giveaways/${giveawayId}`, result.revision));
  });

  router.post("/giveaways/:giveawayId/draw", async (req: Request, res: Response) => {
    const identity = identityOf(res);
    const giveawayId = req.params.giveawayId;
    if (!isId(giveawayId)) return renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    const limited = await handoff.limits.giveawayAction(clientIp(req), identity.userId);
    if (limited) return showGiveaway(res, identity, giveawayId, 429, rateLimitedPage(res, limited));
    const result = await handoff.commands(
      giveawayId,
      { type: "ConductDraw", by: identity.userId, now: handoff.now(), pick: handoff.pick },
      pageCommandContext(identity),
    );
    if (!result.ok) return showGiveaway(res, identity, giveawayId, 200, domainRefusal(result.error));
    await handoff.readYourWrites.waitForGiveaway(giveawayId, result.revision);
    res.redirect(303, pageAfterWrite(`/giveaways/${giveawayId}`, result.revision));
  });

  return router;
}

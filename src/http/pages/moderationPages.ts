// /moderation: the moderators' queue (GET, no change), a report's context (opened by a POST: the look
// is recorded), and the actions as plain forms (303 back to the queue). Others get a 403 page.
import express, { type Request, type Response } from "express";
import { z } from "zod";
import { moderationActions, moderatorOf, openReportContext, reportQueue, runModerationAction, showsSuspension, type ModerationActionServices } from "../../app/moderationActions.ts";
import type { LimitsServices } from "../../app/services.ts";
import { IdSchema, isId } from "../../domain/ids.ts";
import { moderationReasonMaxLength } from "../../domain/moderationEvents.ts";
import { identityOf } from "../authentication.ts";
import { waitUntilVisible, type ReadModelState } from "../api/giveawayCommands.ts";
import { clientIp } from "../edge/rateLimits.ts";
import { rateLimitedPage } from "./limitRefusals.ts";
import { pageCommandContext } from "./commandContext.ts";
import { renderRefusal } from "./pageAccess.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { pageRefusal, type PageRefusal } from "./pageRefusals.ts";
import { untilReadModelShows } from "../../projections/untilReadModelShows.ts";

const empty = (value: unknown) => (value === "" ? undefined : value);
const ActionForm = z.object({
  action: z.enum(moderationActions),
  reason: z.string().trim().min(1).max(moderationReasonMaxLength),
  reportId: z.preprocess(empty, IdSchema.optional()),
  giveawayId: z.preprocess(empty, IdSchema.optional()),
  messageId: z.preprocess(empty, IdSchema.optional()),
  userId: z.preprocess(empty, IdSchema.optional()),
  // A date-time-local field (no zone: UTC, as the form says) or ISO.
  until: z.preprocess(empty, z.iso.datetime({ offset: true, local: true }).transform((text) => new Date(/(?:Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`)).optional()),
});

export type ModerationPagesServices = ModerationActionServices & ReadModelState & LimitsServices;

export function moderationPages(handoff: ModerationPagesServices, 
renderer: PageRenderer, requireSignedIn: express.RequestHandler): express.Router {
  const router = express.Router();
  const back = { href: "/moderation", label: "Back to the queue" };
  const refuse = (res: Response, refusal: PageRefusal) => renderRefusal(renderer, res, refusal, identityOf(res), back);

  /** The moderator asking, or a 403 page. */
  function moderator(res: Response) {
    const by = moderatorOf(handoff, identityOf(res).userId);
    if (!by.isModerator) return void refuse(res, pageRefusal("not_moderator"));
    return by;
  }

  async function limited(req: Request, res: Response): Promise<boolean> {
    const refusal = await handoff.limits.giveawayAction(clientIp(req), identityOf(res).userId);
    if (refusal) refuse(res, rateLimitedPage(res, refusal));
    return refusal !== undefined;
  }

  router.get("/moderation", requireSignedIn, (_req, res) => {
    if (!moderator(res)) return;
    renderer.page(res, 200, "./moderation", { title: "Moderation", identity: identityOf(res), reports: reportQueue(handoff) });
  });

  router.post("/moderation/reports/:id/views", requireSignedIn, async (req, res) => {
    const by = moderator(res);
    if (!by || (await limited(req, res))) return;
    const reportId = String(req.params.id);
    if (!isId(reportId)) return refuse(res, pageRefusal("report_not_found"));
    const opened = await openReportContext(handoff, by, reportId, pageCommandContext(identityOf(res)));
    if (!opened.ok) return refuse(res, pageRefusal(opened.error.code));
    const { report, conversation } = opened.value;
    renderer.page(res, 200, "./moderationReport", { title: "Report", identity: identityOf(res), report, messages: conversation.messages, reasonMaxLength: moderationReasonMaxLength });
  });

  router.post("/moderation/actions", requireSignedIn, async (req, res) => {
    const by = moderator(res);
    if (!by || (await limited(req, res))) return;
    const form = ActionForm.safeParse(req.body ?? {});
    if (!form.success) return refuse(res, pageRefusal("invalid_moderation"));
    const done = await runModerationAction(handoff, by, form.data, pageCommandContext(identityOf(res)));
    if (!done.ok) return refuse(res, pageRefusal(done.error.code));
    if ("giveawayId" in done.value) await waitUntilVisible(handoff, done.value.giveawayId, done.value.revision);
    else {
      const userId = done.value.userId;
      await untilReadModelShows(() => showsSuspension(handoff, userId, form.data.action === "suspend"));
    }
    res.redirect(303, "/moderation");
  });

  return router;
}

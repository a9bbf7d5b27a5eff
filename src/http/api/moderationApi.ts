// /api/moderation/*: the moderators' queue, a report's context (a POST: looking is recorded), and
// the actions. Anyone else gets 403 not_moderator (moderators.ts is the rule).
import express from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import { moderationActions, moderatorOf, openReportContext, reportQueue, runModerationAction, showsSuspension, type ModerationActionServices } from "../../app/moderationActions.ts";
import type { LimitsServices } from "../../app/services.ts";
import { isId } from "../../domain/ids.ts";
import { moderationReasonMaxLength } from "../../domain/moderationEvents.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { limitGiveawayActions } from "../edge/rateLimits.ts";
import { untilReadModelShows } from "../../projections/untilReadModelShows.ts";
import { ApiError } from "./apiErrors.ts";
import { revisionHeader, waitUntilVisible, type ReadModelState } from "./giveawayCommands.ts";
import { clientUuid, parseBody } from "./requestInput.ts";
import { commandContext, requireApiIdentity } from "./requestContext.ts";

const ActionSchema = z.object({
  action: z.enum(moderationActions),
  reason: z.string().trim().min(1).max(moderationReasonMaxLength),
  reportId: clientUuid.optional(),
  giveawayId: clientUuid.optional(),
  messageId: clientUuid.optional(),
  userId: clientUuid.optional(),
  until: z.iso.datetime({ offset: true }).transform((text) => new Date(text)).optional(),
});

/** Only a moderator goes past this (after the identity, before any limit or body). */
function requireModerator(handoff: Pick<Handoff, "queries">): express.RequestHandler {
  return (_req, res, next) => {
    if (!handoff.queries.isModerator(identityOf(res).userId)) throw new ApiError("not_moderator", "only moderators can use /api/moderation");
    next();
  };
}

export type ModerationApiServices = EdgeContext & LimitsServices & ModerationActionServices & ReadModelState;

export function moderationApi(handoff: ModerationApiServices): express.Router {

  const router = express.Router();
  const moderator = [requireApiIdentity(handoff), requireModerator(handoff)];
  const limited = limitGiveawayActions(handoff);

  router.get("/moderation/reports", ...moderator, (_req, res) => {
    res.json({ reports: reportQueue(handoff) });
  });

  router.post("/moderation/reports/:id/views", ...moderator, limited, async (req, res) => {
    const reportId = req.params.id;
    if (!isId(reportId)) throw new ApiError("report_not_found", "no such report");
    const opened = await openReportContext(handoff, moderatorOf(handoff, identityOf(res).userId), reportId, commandContext(res));
    if (!opened.ok) throw new ApiError(opened.error.code, opened.error.message);
    const { report, conversation } = opened.value;
    res.json({ report, revision: conversation.revision, messages: conversation.messages });
  });

  router.post("/moderation/actions", ...moderator, limited, async (req, res) => {
    const input = parseBody(ActionSchema, req.body);
    const done = await runModerationAction(handoff, moderatorOf(handoff, identityOf(res).userId), input, commandContext(res));
    if (!done.ok) throw new ApiError(done.error.code, done.error.message);
    if ("giveawayId" in done.value) {
      res.setHeader(revisionHeader, String(done.value.revision));
      await waitUntilVisible(handoff, done.value.giveawayId, done.value.revision);
    } else {
      // The user's next request must meet the suspension (or its end) on this process at least.
      const userId = done.value.userId;
      await untilReadModelShows(() => showsSuspension(handoff, userId, input.action === "suspend"));
    }
    res.json({ action: input.action, ...("giveawayId" in done.value ? { giveawayId: done.value.giveawayId, revision: Number(done.value.revision) } : { userId: done.value.userId }) });
  });

  return router;
}

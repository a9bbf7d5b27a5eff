// POST /api/giveaways/:id/reports: a participant reports the other person (one message, or the
// conversation), and may block them in the same step. The moderators' queue reads the reports
// read model (openReports).
import express from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import type { FileReport } from "../../domain/reports.ts";
import { reportReasons } from "../../domain/reportsEvents.ts";
import type { ReportView } from "../../projections/reportsProjection.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { limitGiveawayActions } from "../edge/rateLimits.ts";
import { ApiError } from "./apiErrors.ts";
import { changeBlock, type BlockServices } from "./blocksApi.ts";
import { runGiveawayCommand, type CommandServices } from "./giveawayCommands.ts";
import { clientUuid, giveawayIdParam, parseBody } from "./requestInput.ts";
import { commandContext, requireApiIdentity } from "./requestContext.ts";

// The note's length is the domain's rule (invalid_note); here only the shape.
const ReportSchema = z.object({
  messageId: clientUuid.optional(),
  reason: z.enum(reportReasons),
  note: z.string().optional(),
  /** Also block the person reported. */
  block: z.boolean().optional(),
});

export type ReportServices = CommandServices & BlockServices & Pick<Handoff, "newId" | "now">;

/** Files the report (and the block, if asked); the stored report as the moderators' queue shows it. */
export async function fileReport(handoff: ReportServices, res: express.Response, giveawayId: string, report: Omit<FileReport, "type" | "reportId" | "now">, block: boolean): Promise<ReportView> {
  const reportId = handoff.newId();
  const result = await runGiveawayCommand(handoff, res, giveawayId, { type: "FileReport", reportId, ...report, now: handoff.now() });
  const filed = handoff.queries.reportById(reportId);
  if (!filed) throw new ApiError("read_model_lagging", `the report was saved (revision ${result.revision}) but is not visible yet`);
  if (block) {
    const outcome = await changeBlock(handoff, report.reporterId, filed.reportedUserId, true, commandContext(res));
    if (!outcome.ok) throw new ApiError(outcome.code, `the report was filed, but the block was not: ${outcome.message}`);
  }
  return filed;
}

export function reportsApi(handoff: EdgeContext & ReportServices & Pick<Handoff, "limits">): express.Router {
  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);

  router.post("/giveaways/:id/reports", signedIn, limitGiveawayActions(handoff), async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const { messageId, reason, note, block = false } = parseBody(ReportSchema, req.body);
    const reporterId = identityOf(res).userId;
    const filed = await fileReport(handoff, res, giveawayId, { reporterId, reason, note, messageId }, block);
    res.status(201).json({ ...filed, blocked: block });
  });

  return router;
}

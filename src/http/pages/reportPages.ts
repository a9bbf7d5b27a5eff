// Reporting from the chat, without script or with it: GET /messages/:giveawayId/report (for the
// conversation, or ?messageId=… for one of the other person's messages; scam warnings link here)
// shows the form, and changes nothing; its POST files the report (and the block, if ticked) and
// comes back to the same page saying it was sent.
import express, { type Request, type Response } from "express";
import { z } from "zod";
import type { Clock, Commands, Ids, LimitsServices, ReadYourWritesServices } from "../../app/services.ts";
import type { GrantedConversation } from "../../app/conversationAccessQuery.ts";
import { IdSchema, isId } from "../../domain/ids.ts";
import { mayReadRevision } from "../../domain/pickupAccess.ts";
import { reportNoteMaxLength, reportReasons } from "../../domain/reportsEvents.ts";
import { identityOf, type RequestIdentity } from "../authentication.ts";
import { ApiError } from "../errorAnswers.ts";
import { changeBlock, type BlockServices } from "../api/blocksApi.ts";
import { clientIp } from "../edge/rateLimits.ts";
import { rateLimitedPage } from "./limitRefusals.ts";
import { pageCommandContext } from "./commandContext.ts";
import { conversationAccess, type ConversationAccessServices } from "./conversationAccess.ts";
import { renderRefusal } from "./pageAccess.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { domainRefusal, pageRefusal, type PageRefusal } from "./pageRefusals.ts";

const ReportQuery = z.object({ messageId: IdSchema.optional(), sent: z.literal("1").optional() });

const ReportForm = z.object({
  messageId: z.union([IdSchema, z.literal("")]).optional(),
  reason: z.enum(reportReasons),
  // The note's length is the domain's rule (invalid_note); a form may carry a little more.
  note: z.string().max(reportNoteMaxLength * 8).optional(),
  block: z.literal("1").optional(),
});

/** What the form shows again after a refusal: what was chosen and typed. */
interface ReportDraft {
  reason?: string | undefined;
  note: string;
  block: boolean;
  error?: string | undefined;
}

const reasonLabels: Record<(typeof reportReasons)[number], string> = {
  spam: "Spam",
  scam: "A scam (asks for money, payment details or a fee)",
  harassment: "Harassment or threats",
  other: "Something else",
};

export type ReportPagesServices = ConversationAccessServices & BlockServices & Commands & LimitsServices & Ids & Clock & ReadYourWritesServices;

export function reportPages(handoff: ReportPagesServices, 
renderer: PageRenderer, requireSignedIn: express.RequestHandler): express.Router {
  const router = express.Router();
  const { queries } = handoff;

  const back = (giveawayId: string) => ({ href: `/messages/${giveawayId}`, label: "Back to the chat" });

  /** The conversation in the path, if the reader is a participant of it. */
  async function conversationOf(res: Response, giveawayIdParam: unknown): Promise<{ identity: RequestIdentity; giveawayId: string; access: GrantedConversation } | undefined> {
    const identity = identityOf(res);
    const giveawayId = String(giveawayIdParam);
    if (!isId(giveawayId)) return void renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    const access = await conversationAccess(handoff, giveawayId, identity.userId);
    if (!access.ok) return void renderRefusal(renderer, res, pageRefusal(access.code), identity, back(giveawayId));
    return { identity, giveawayId, access };
  }

  /** The message reported as the form quotes it, or why it cannot be reported (the decider checks again). */
  function reportedMessage(access: GrantedConversation, giveawayId: string, viewerId: string, messageId: string | undefined): { text: string } | PageRefusal | undefined {
    if (messageId === undefined) return undefined;
    const message = queries.messageById(giveawayId, messageId);
    if (!message || !mayReadRevision(access, message.revision)) return pageRefusal("message_not_found");
    if (message.senderId === null || message.senderId === viewerId) return pageRefusal("not_reportable");
    return { text: message.retractedAt !== null ? "message removed" : (message.content ?? "").slice(0, 280) };
  }

  function showForm(res: Response, status: number, found: { identity: RequestIdentity; giveawayId: string; access: GrantedConversation }, messageId: string | undefined, draft: ReportDraft) {
    const { identity, giveawayId, access } = found;
    const quoted = reportedMessage(access, giveawayId, identity.userId, messageId);
    if (quoted && "status" in quoted) return renderRefusal(renderer, res, quoted, identity, back(giveawayId));
    renderer.page(res, status, "./report", {
      title: `Report ${access.other.username}`,
      identity,
      giveawayId,
      other: access.other,
      messageId,
      quoted,
      reasons: reportReasons.map((value) => ({ value, label: reasonLabels[value] })),
      noteMaxLength: reportNoteMaxLength,
      alreadyBlocked: queries.hasBlocked(identity.userId, access.other.id),
      draft,
      sent: false,
    });
  }

  router.get("/messages/:giveawayId/report", requireSignedIn, async (req: Request, res: Response) => {
    const found = await conversationOf(res, req.params.giveawayId);
    if (!found) return;
    const query = ReportQuery.safeParse(req.query);
    if (!query.success) return renderRefusal(renderer, res, pageRefusal("message_not_found"), found.identity, back(found.giveawayId));
    if (query.data.sent) {
      const { identity, giveawayId, access } = found;
      return renderer.page(res, 200, "./report", { title: "Report sent", identity, giveawayId, other: access.other, sent: true, blocked: queries.hasBlocked(identity.userId, access.other.id) });
    }
    showForm(res, 200, found, query.data.messageId, { note: "", block: false });
  });

  router.post("/messages/:giveawayId/report", requireSignedIn, async (req: Request, res: Response) => {
    const found = await conversationOf(res, req.params.giveawayId);
    if (!found) return;
    const { identity, giveawayId } = found;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed: ReportDraft = { reason: typeof body.reason === "string" ? body.reason : undefined, note: typeof body.note === "string" ? body.note : "", block: body.block === "1" };
    const messageId = isId(body.messageId) ? body.messageId : undefined;
    const limited = await handoff.limits.giveawayAction(clientIp(req), identity.userId);
    if (limited) return showForm(res, 429, found, messageId, { ...typed, error: rateLimitedPage(res, limited).message });
    const parsed = ReportForm.safeParse(body);
    if (!parsed.success) return showForm(res, 422, found, messageId, { ...typed, error: "Please choose a reason." });
    const { reason, note, block } = parsed.data;
    const command = { type: "FileReport", reportId: handoff.newId(), reporterId: identity.userId, reason, note, messageId: parsed.data.messageId || undefined, now: handoff.now() } as const;
    const result = await handoff.commands(giveawayId, command, pageCommandContext(identity));
    if (!result.ok) {
      const refusal = domainRefusal(result.error);
      if (result.error.code === "invalid_note") return showForm(res, refusal.status, found, messageId, { ...typed, error: refusal.message });
      return renderRefusal(renderer, res, refusal, identity, back(giveawayId));
    }
    await handoff.readYourWrites.waitForGiveaway(giveawayId, result.revision);
    const filed = result.appended[0]?.event;
    if (block && filed?.type === "ReportFiled") {
      const outcome = await changeBlock(handoff, identity.userId, filed.data.reportedUserId, true, pageCommandContext(identity));
      if (!outcome.ok) throw new ApiError(outcome.code, `the report was sent, but the block was not: ${outcome.message}`);
    }
    res.redirect(303, `/messages/${giveawayId}/report?sent=1`);
  });

  return router;
}

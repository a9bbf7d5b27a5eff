// The chat at /messages/:giveawayId: history, the send form (htmx or a plain POST + 303), and read marks.
// The same page, framed in the platform's pages, at /embed/giveaways/:giveawayId/chat (embedPages.ts signs it in).
import { safetyTip } from "../../domain/safetyTip.ts";
import { avatarOfUser } from "./avatar.ts";
import { coverOf } from "./giveawayPictures.ts";
import { standingReminder } from "./standingReminder.ts";
import express, { type Request, type Response } from "express";
import { z } from "zod";
import type { Clock, Commands, Configured, Ids, LimitsServices, LiveServices, ReadYourWritesServices, Reads } from "../../app/services.ts";
import { contentMaxLength } from "../../domain/giveawayDecide.ts";
import { readMarkTarget } from "../../domain/readMark.ts";
import { identityOf, type EdgeContext, type RequestIdentity } from "../authentication.ts";
import { pageCommandContext } from "./commandContext.ts";
import { conversationAccess, type ConversationAccessServices } from "./conversationAccess.ts";
import { renderRefusal, requireStreamIdentity } from "./pageAccess.ts";
import { IdSchema, isId } from "../../domain/ids.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { chatItems, pickupPanel } from "./pickupView.ts";
import { domainRefusal, pageRefusal, type PageRefusal } from "./pageRefusals.ts";
import { componentLogger } from "../../observability/logger.ts";
import { awaitPageMinRevision, pageAfterWrite } from "./pageReadYourWrites.ts";
import type { ReadModelState } from "../api/giveawayCommands.ts";
import { clientIp } from "../edge/rateLimits.ts";
import { rateLimitedPage } from "./limitRefusals.ts";
import { messageCard, senderLabel, type MessageCardServices } from "./messageCard.ts";
import { viewerTimeZone } from "./readableTime.ts";
import { embedChatPath, renderEmbedRefusal } from "./embedPages.ts";
import { ratingPanel, type RatingPanelServices } from "./ratingPages.ts";

const pagesLog = componentLogger("pages");

/** The page shows this many of the newest messages; the stream then carries on from the last one. */
const historyLength = 200;

const MessageForm = z.object({
  // Chosen when the form was drawn: a retried send is the same message and is stored once.
  id: IdSchema,
  content: z.string().max(contentMaxLength * 8),
  // The message this one answers (the reply bar), and files uploaded by chat.js, comma-separated.
  replyTo: z.union([IdSchema, z.literal("")]).optional(),
  attachmentIds: z
    .string()
    .max(40 * 10)
    .optional()
    .transform((ids) => (ids ? ids.split(",").filter(Boolean) : []))
    .pipe(z.array(IdSchema).max(10)),
});

const ReadForm = z.object({
  revision: z.coerce.number().int().min(0),
  /** "page": the no-JavaScript form, which goes back to the chat (chat.js wants a status instead). */
  then: z.literal("page").optional(),
});

/** A page of history: the newest messages, or those before a revision ("Load older messages"). */
const ChatQuery = z.object({ before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(), replyTo: IdSchema.optional() });

/** What the send form shows: the hidden message id, the text, and why the last send failed. */
export interface MessageDraft {
  id: string;
  content: string;
  error?: string | undefined;
  /** The message this draft answers, as the reply bar shows it. */
  replyTo?: { id: string; senderName: string; text: string } | undefined;
}

export type ChatPageServices = EdgeContext &
  ConversationAccessServices &
  MessageCardServices &
  RatingPanelServices &
  ReadModelState &
  Reads &
  Clock &
  Ids &
  Commands &
  LimitsServices &
  LiveServices &
  ReadYourWritesServices &
  Configured;

export function chatPage(handoff: ChatPageServices, 
renderer: PageRenderer, requireSignedIn: express.RequestHandler): express.Router {
  const router = express.Router();
  const { queries } = handoff;
  const freshDraft = (): MessageDraft => ({ id: handoff.newId(), content: "" });
  const renderForm = (giveawayId: string, draft: MessageDraft) =>
    renderer.partial("./partials/messageForm", { giveawayId, draft, contentMaxLength });
  const replyDraft = (giveawayId: string, viewerId: string, messageId: string | undefined) => {
    const quoted = messageId === undefined ? undefined : queries.messageById(giveawayId, messageId);
    if (!quoted || quoted.retractedAt !== null || quoted.content === null) return undefined;
    return { id: quoted.id, senderName: senderLabel(quoted, viewerId), text: quoted.content.slice(0, 140) };
  };

  async function showChat(res: Response, identity: RequestIdentity, giveawayId: string, status: number, draft: MessageDraft, before?: number, embedded = false) {
    const access = await conversationAccess(handoff, giveawayId, identity.userId);
    if (!access.ok) {
      if (embedded) return renderEmbedRefusal(renderer, res, pageRefusal(access.code), handoff.config.embedOrigins);
      return refuseConversation(res, identity, giveawayId, pageRefusal(access.code));
    }
    const newest = before === undefined ? queries.latestMessages(giveawayId, historyLength + 1) : queries.messagesBefore(giveawayId, before, historyLength + 1);
    const messages = newest.slice(-historyLength);
    // The stream resumes after the newest event shown (a message or a proposal card).
    const panel = pickupPanel(handoff, access, identity.userId);
    const items = chatItems(handoff, access, identity.userId, messages, panel, before);
    // Where one cannot send (a former winner, a cancelled or closed conversation) nothing offers to.
    const writable = panel.composerClosed === null;
    const cards = new Map(messages.map((message) => [message.id, messageCard(handoff, message, identity.userId, writable)]));
    const timeZone = viewerTimeZone(res.req.headers.cookie);
    const otherRead = handoff.queries.readMarkOf(giveawayId, access.other.id);
    const lastRevision = Math.max(messages.at(-1)?.revision ?? -1, items.at(-1)?.revision ?? -1);
    // No state change on GET: the page shows where the reader's mark stands; chat.js (or, without
    // script, the mark-read form) posts the mark.
    const inboxEntry = queries.inboxEntry(identity.userId, giveawayId);
    const readRevision = inboxEntry?.lastReadRevision ?? -1;
    renderer.page(res, status, "./chat", {
      title: `Chat: ${access.giveaway.title}`,
      identity,
      liveNotifications: "none", // the chat stream carries the badge too: one connection per tab
      badgeExcept: giveawayId,
      giveaway: access.giveaway,
      other: access.other,
      otherAvatar: avatarOfUser(queries, access.other, handoff.config.platform?.imageOrigins ?? []),
      // The item in view: its cover in the header; and a pickup reminder once sent, for both (standingReminder.ts).
      cover: coverOf(access.giveaway),
      reminder: standingReminder(handoff, giveawayId, identity.userId, handoff.now()),
      otherPresence: handoff.hub.presenceOf(giveawayId, access.other.id),
      safetyTip,
      cards,
      otherRead,
      muted: inboxEntry?.muted ?? false,
      blockedOther: queries.hasBlocked(identity.userId, access.other.id),
      olderBefore: newest.length > historyLength ? messages[0]?.revision : undefined,
      messages,
      items,
      pickup: renderer.partial("./partials/pickupPanel", { panel, oob: false, proposalId: handoff.newId(), timeZone }),
      // Once completed: the giver and the winner rate each other (ratingPages.ts).
      rating: embedded ? "" : ratingPanel(handoff, renderer, giveawayId, identity.userId),
      viewerId: identity.userId,
      lastRevision,
      readRevision,
      unreadCount: inboxEntry?.unreadCount ?? 0,
      streamUrl: `/messages/${giveawayId}/stream?after=${lastRevision}`,
      form: writable ? renderForm(giveawayId, draft) : renderer.partial("./partials/composerClosed", { reason: panel.composerClosed, otherName: access.other.username }),
      composerClosed: panel.composerClosed,
      // Framed: without handoff's navigation, and it tells the platform's page the unread count.
      embed: embedded,
      embedOrigins: handoff.config.embedOrigins,
      chatPath: embedded ? embedChatPath(giveawayId) : `/messages/${giveawayId}`,
    });
  }

  function refuseConversation(res: Response, identity: RequestIdentity, giveawayId: string, refusal: PageRefusal) {
    const back = refusal.status === 404 ? { href: "/giveaways", label: "All giveaways" } : { href: `/giveaways/${giveawayId}`, label: "Back to the giveaway" };
    renderRefusal(renderer, res, refusal, identity, back);
  }

  /** The reader has seen the conversation up to a revision; the revision the mark was written at, if one was. */
  async function markRead(identity: RequestIdentity, giveawayId: string, upToRevision: number): Promise<bigint | undefined> {
    if (upToRevision < 0) return undefined;
    const entry = queries.inboxEntry(identity.userId, giveawayId);
    if (entry && entry.lastReadRevision >= upToRevision) return undefined;
    const result = await handoff.commands(
      giveawayId,
      { type: "MarkConversationRead", userId: identity.userId, upToRevision, now: handoff.now() },
      pageCommandContext(identity),
    );
    if (!result.ok) pagesLog.warn({ giveawayId, code: result.error.code }, "marking a conversation read failed");
    return result.ok ? result.revision : undefined;
  }

  router.get(["/messages/:giveawayId", embedChatPath(":giveawayId")], requireSignedIn, async (req: Request, res: Response) => {
    const identity = identityOf(res);
    const giveawayId = req.params.giveawayId;
    if (!isId(giveawayId)) return renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    await awaitPageMinRevision(handoff, giveawayId, req.query);
    const query = ChatQuery.safeParse(req.query);
    const { before, replyTo } = query.success ? query.data : {};
    const embedded = req.path.startsWith("/embed/");
    await showChat(res, identity, giveawayId, 200, { ...freshDraft(), replyTo: replyDraft(giveawayId, identity.userId, replyTo) }, before, embedded);
  });

  router.post("/messages/:giveawayId", requireSignedIn, async (req: Request, res: Response) => {
    const identity = identityOf(res);
    const giveawayId = req.params.giveawayId;
    if (!isId(giveawayId)) return renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    const byHtmx = req.get("HX-Request") === "true";
    const answer = (status: number, draft: MessageDraft) =>
      byHtmx ? res.status(status).type("html").send(renderForm(giveawayId, draft)) : showChat(res, identity, giveawayId, status, draft);

    const parsed = MessageForm.safeParse(req.body ?? {});
    if (!parsed.success) {
      const content = typeof req.body?.content === "string" ? req.body.content : "";
      return answer(422, { id: handoff.newId(), content, error: pageRefusal("invalid_content").message });
    }
    const { id, content, attachmentIds } = parsed.data;
    const replyTo = parsed.data.replyTo || undefined;
    // Refused: the text stays in the form (no-JS) or in its "Not sent" bubble with Retry (chatSend.js).
    const limited = await handoff.limits.messageSend(clientIp(req), identity.userId);
    if (limited) return answer(429, { id, content, error: rateLimitedPage(res, limited).message });
    const result = await handoff.commands(
      giveawayId,
      { type: "SendMessage", messageId: id, senderId: identity.userId, content, replyTo, attachmentIds, now: handoff.now(), blockedBy: queries.blockersOf(identity.userId) },
      pageCommandContext(identity),
    );
    if (!result.ok) {
      const refusal = domainRefusal(result.error);
      if (!byHtmx && (result.error.code === "not_participant" || result.error.code === "giveaway_not_found" || result.error.code === "conversation_closed")) {
        return refuseConversation(res, identity, giveawayId, refusal);
      }
      // After a clash the text goes again as a new message, so it needs a new id.
      const nextId = result.error.code === "message_id_conflict" ? handoff.newId() : id;
      return answer(refusal.status, { id: nextId, content, error: refusal.message, replyTo: replyDraft(giveawayId, identity.userId, replyTo) });
    }
    // The chat it goes back to reads the read models: wait until they show the message.
    await handoff.readYourWrites.waitForGiveaway(giveawayId, result.revision);
    if (byHtmx) return answer(200, freshDraft()); // the message itself arrives on the stream
    res.redirect(303, pageAfterWrite(`/messages/${giveawayId}`, result.revision, "#latest"));
  });

  // chat.js posts the newest revision the reader has reached and wants a status; the no-JS form
  // (then=page) goes back to the chat, which shows the count cleared.
  router.post("/messages/:giveawayId/read", requireStreamIdentity(handoff), async (req: Request, res: Response) => {
    const identity = identityOf(res);
    const giveawayId = req.params.giveawayId;
    const parsed = ReadForm.safeParse(req.body ?? {});
    if (!isId(giveawayId)) return res.status(404).type("text").send("no such conversation");
    if (!parsed.success) return res.status(422).type("text").send("revision must be a whole number of at least 0");
    const access = await conversationAccess(handoff, giveawayId, identity.userId);
    if (!access.ok) {
      const refusal = pageRefusal(access.code);
      return res.status(refusal.status).type("text").send(refusal.message);
    }
    const upToRevision = readMarkTarget(parsed.data.revision, queries.latestMessages(giveawayId, 1)[0]?.revision ?? -1);
    const written = upToRevision === undefined ? undefined : await markRead(identity, giveawayId, upToRevision);
    if (parsed.data.then !== "page") return res.status(204).end();
    res.redirect(303, written === undefined ? `/messages/${giveawayId}#latest` : pageAfterWrite(`/messages/${giveawayId}`, written, "#latest"));
  });

  return router;
}

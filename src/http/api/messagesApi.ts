// A conversation's messages (read, send, mark read) and the caller's inbox.
import express from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import { readMarkTarget } from "../../domain/readMark.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { ApiError } from "./apiErrors.ts";
import { visibleTo } from "../../app/conversationAccessQuery.ts";
import { conversationForReader } from "./conversationAccess.ts";
import { awaitMinRevision, refuseWhileStopped, runGiveawayCommand, type CommandServices } from "./giveawayCommands.ts";
import { clientUuid, giveawayIdParam, integerText, parseBody, parseInput } from "./requestInput.ts";
import { requireApiIdentity } from "./requestContext.ts";
import { limitMessageWrites } from "../edge/rateLimits.ts";
import { messageForReader } from "../../app/scamWarnings.ts";
import { safetyTip } from "../../domain/safetyTip.ts";
import type { Config } from "../../config.ts";

export const maxMessagesPerPage = 1000;

const MessagesQuerySchema = z
  .object({
    /** Exclusive; -1 from the start. Absent: the newest `limit` messages. */
    after: integerText(-1).optional(),
    /** Exclusive: the newest `limit` messages older than this revision (paging back). */
    before: integerText(0).optional(),
    limit: integerText(1, maxMessagesPerPage).optional(),
  })
  .refine((query) => query.after === undefined || query.before === undefined, { message: "give after or before, not both" });

const SendMessageSchema = z.object({
  // Length and blank checks are the domain's (invalid_content).
  content: z.string(),
  /** Chosen by the client so a retried send is recognised; one is made when absent. */
  id: clientUuid.optional(),
  /** The message this one quotes (the domain checks it is in this conversation). */
  replyTo: clientUuid.optional(),
  attachmentIds: z.array(clientUuid).max(10).optional(),
});

const MarkReadSchema = z.object({ revision: z.int().min(0) });

/** What the message routes use: the edge context, commands, the read models' queries and state, the limits, ids and time. */
export type MessageServices = EdgeContext & CommandServices & Pick<Handoff, "queries" | "limits" | "newId" | "now"> & { config: Pick<Config, "scamPatterns"> };

export function messagesApi(handoff: MessageServices): express.Router {
  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);

  router.get("/giveaways/:id/messages", signedIn, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    await awaitMinRevision(handoff, giveawayId, { minRevision: (req.query as Record<string, unknown>).minRevision });
    const access = await conversationForReader(handoff, giveawayId, identityOf(res).userId);
    const { after, before, limit = 100 } = parseInput(MessagesQuerySchema, req.query);
    const { queries } = handoff;
    const messages = visibleTo(
      access,
      after !== undefined
        ? queries.messagesAfter(giveawayId, after, limit)
        : before !== undefined
          ? queries.messagesBefore(giveawayId, before, limit)
          : queries.latestMessages(giveawayId, limit),
    );
    const readerId = identityOf(res).userId;
    const muted = queries.inboxEntry(readerId, giveawayId)?.muted ?? false;
    // The recipient's copy of each message says whether it looks like a scam; the sender's does not.
    res.json({
      messages: messages.map((message) => messageForReader(handoff.config.scamPatterns, message, readerId)),
      readUpTo: queries.readUpTo(giveawayId),
      muted,
      // Shown above every conversation (the pages' words): strangers meet in person.
      safetyTip: `${safetyTip.title} ${safetyTip.text}`,
    });
  });

  router.post("/giveaways/:id/messages", signedIn, limitMessageWrites(handoff), async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const { content, id, replyTo, attachmentIds } = parseBody(SendMessageSchema, req.body);
    const messageId = id ?? handoff.newId();
    const senderId = identityOf(res).userId;
    const blockedBy = handoff.queries.blockersOf(senderId);
    const command = { type: "SendMessage", messageId, senderId, content, replyTo, attachmentIds, now: handoff.now(), blockedBy } as const;
    const result = await runGiveawayCommand(handoff, res, giveawayId, command);
    // A new message is answered from the event it appended; a retry (nothing appended) reads it back.
    const [sent] = result.appended;
    const message =
      sent?.event.type === "MessageSent"
        ? handoff.queries.messageAsSent(giveawayId, sent.revision, sent.event.data)
        : handoff.queries.messageById(giveawayId, messageId);
    if (!message) refuseWhileStopped(handoff, ["conversation"], `the message was saved (revision ${result.revision}) but cannot be shown until an operator has resolved it`);
    if (!message) throw new ApiError("read_model_lagging", "the message was saved but is not visible yet: send it again with the same id");
    // A retry with the same id and content finds the message already stored: 200, same message.
    res.status(result.appended.length > 0 ? 201 : 200).json(messageForReader(handoff.config.scamPatterns, message, senderId));
  });

  router.post("/giveaways/:id/read", signedIn, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const { revision } = parseBody(MarkReadSchema, req.body);
    const userId = identityOf(res).userId;
    await conversationForReader(handoff, giveawayId, userId);
    const upToRevision = readMarkTarget(revision, handoff.queries.latestMessages(giveawayId, 1)[0]?.revision ?? -1);
    if (upToRevision === undefined) return res.status(204).end(); // no message yet: nothing to mark
    await runGiveawayCommand(handoff, res, giveawayId, { type: "MarkConversationRead", userId, upToRevision, now: handoff.now() });
    res.status(204).end();
  });

  router.get("/inbox", signedIn, (_req, res) => {
    const userId = identityOf(res).userId;
    res.json({ conversations: handoff.queries.inboxFor(userId), unreadTotal: handoff.queries.unreadTotal(userId) });
  });

  return router;
}

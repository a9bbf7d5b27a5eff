// What a participant does to a conversation besides sending: react, edit, retract, type, mute.
import { messageForReader } from "../../app/scamWarnings.ts";
import express from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import { typingSignalMs } from "../../live/typingSignals.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { ApiError } from "./apiErrors.ts";
import { isId } from "../../domain/ids.ts";
import { conversationForReader } from "./conversationAccess.ts";
import { runGiveawayCommand, type CommandServices } from "./giveawayCommands.ts";
import { giveawayIdParam, parseBody } from "./requestInput.ts";
import { requireApiIdentity } from "./requestContext.ts";
import { limitGiveawayActions, limitMessageWrites } from "../edge/rateLimits.ts";

/** A message id from the path: anything that is not the one id format (domain/ids.ts) names no message (404). */
function messageIdParam(value: unknown): string {
  if (!isId(value)) throw new ApiError("message_not_found", "no such message in this conversation");
  return value;
}

// Length and blank checks are the domain's (invalid_content).
const EditSchema = z.object({ content: z.string() });

/** What reacting, editing, retracting, typing and muting use: commands, queries, the hub's typing signals, limits, time. */
export type ConversationServices = EdgeContext & CommandServices & Pick<Handoff, "config" | "queries" | "hub" | "limits" | "now">;

export function conversationApi(handoff: ConversationServices): express.Router {
  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);
  const limited = limitMessageWrites(handoff);
  const now = () => handoff.now();
  const editWindowMs = handoff.config.editWindowMs;

  const reaction = (reacted: boolean): express.RequestHandler => async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const messageId = messageIdParam(req.params.messageId);
    const emoji = String(req.params.emoji);
    const userId = identityOf(res).userId;
    await runGiveawayCommand(handoff, res, giveawayId, { type: "ReactToMessage", messageId, userId, emoji, reacted, now: now() });
    res.status(204).end();
  };
  router.put("/giveaways/:id/messages/:messageId/reactions/:emoji", signedIn, limited, reaction(true));
  router.delete("/giveaways/:id/messages/:messageId/reactions/:emoji", signedIn, limited, reaction(false));

  router.patch("/giveaways/:id/messages/:messageId", signedIn, limited, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const messageId = messageIdParam(req.params.messageId);
    const { content } = parseBody(EditSchema, req.body);
    const userId = identityOf(res).userId;
    await runGiveawayCommand(handoff, res, giveawayId, { type: "EditMessage", messageId, userId, content, now: now(), editWindowMs });
    const message = handoff.queries.messageById(giveawayId, messageId);
    if (!message) throw new ApiError("read_model_lagging", "the edit was saved but is not visible yet: read again in a moment");
    res.json(messageForReader(handoff.config.scamPatterns, message, userId));
  });

  router.delete("/giveaways/:id/messages/:messageId", signedIn, limited, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const messageId = messageIdParam(req.params.messageId);
    const userId = identityOf(res).userId;
    await runGiveawayCommand(handoff, res, giveawayId, { type: "RetractMessage", messageId, userId, now: now(), editWindowMs });
    res.status(204).end();
  });

  router.post("/giveaways/:id/typing", signedIn, async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const { userId, username } = identityOf(res);
    // Typing is writing: a replaced winner (or anyone, once the conversation is closed) only reads.
    const { canWrite, role } = await conversationForReader(handoff, giveawayId, userId);
    if (!canWrite && role === "former_winner") throw new ApiError("not_participant", "a redraw chose another winner: this conversation can still be read");
    if (!canWrite) throw new ApiError("conversation_read_only", "this conversation is closed: it can still be read");
    const until = new Date(now().getTime() + typingSignalMs).toISOString();
    handoff.hub.typingSignals.publish({ giveawayId, userId, username, until });
    res.status(204).end();
  });

  const mute = (muted: boolean): express.RequestHandler => async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const userId = identityOf(res).userId;
    await runGiveawayCommand(handoff, res, giveawayId, { type: "MuteConversation", userId, muted, now: now() });
    res.status(204).end();
  };
  const actions = limitGiveawayActions(handoff);
  router.put("/giveaways/:id/mute", signedIn, actions, mute(true));
  router.delete("/giveaways/:id/mute", signedIn, actions, mute(false));

  return router;
}

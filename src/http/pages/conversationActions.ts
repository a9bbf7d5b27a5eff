// The chat's forms besides sending: react (one tap toggles), remove one's own message, mute. Each
// works without script (POST, 303 back to the message); chat.js posts the same forms with
// HX-Request and gets a bare status, the change itself arriving on the stream.
import express, { type Request, type Response } from "express";
import { z } from "zod";
import type { Clock, Commands, Configured, LimitsServices } from "../../app/services.ts";
import type { GiveawayCommand } from "../../domain/giveawayDecide.ts";
import { IdSchema, isId } from "../../domain/ids.ts";
import { identityOf, type RequestIdentity } from "../authentication.ts";
import { pageCommandContext } from "./commandContext.ts";
import { conversationAccess, type ConversationAccessServices } from "./conversationAccess.ts";
import { renderRefusal } from "./pageAccess.ts";
import { pageAfterWrite } from "./pageReadYourWrites.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { domainRefusal, pageRefusal, type PageRefusal } from "./pageRefusals.ts";
import type { LimitRefusal } from "../../app/abuseLimits.ts";
import { clientIp } from "../edge/rateLimits.ts";
import { rateLimitedPage } from "./limitRefusals.ts";
import { confirmation } from "./confirmations.ts";

const ReactionForm = z.object({ messageId: IdSchema, emoji: z.string().min(1).max(16) });
const MessageForm = z.object({ messageId: IdSchema });
const MuteForm = z.object({ muted: z.enum(["1", "0"]) });

/** The budget an action spends (src/app/abuseLimits.ts): reactions and removals the messages', mute the other actions'. */
type Spend = (ip: string, userId: string) => Promise<LimitRefusal | undefined>;

export type ConversationActionsServices = ConversationAccessServices & Commands & LimitsServices & Clock & Configured;

export function conversationActions(handoff: ConversationActionsServices, 
renderer: PageRenderer, requireSignedIn: express.RequestHandler): express.Router {
  const router = express.Router();
  const { queries } = handoff;

  function refuse(req: Request, res: Response, identity: RequestIdentity, giveawayId: string, refusal: PageRefusal) {
    if (req.get("HX-Request") === "true") return void res.status(refusal.status).type("text").send(refusal.message);
    renderRefusal(renderer, res, refusal, identity, { href: `/messages/${giveawayId}`, label: "Back to the chat" });
  }

  /** Checks the path, the budget (`spend`) and the form, runs `command`, answers 204 (script) or 303 back to `anchor`. */
  function action<T>(spend: Spend, schema: z.ZodType<T>, command: (form: T, identity: RequestIdentity, giveawayId: string) => GiveawayCommand | PageRefusal, anchor: (form: T, giveawayId: string) => string) {
    return async (req: Request, res: Response) => {
      const identity = identityOf(res);
      const giveawayId = String(req.params.giveawayId);
      if (!isId(giveawayId)) return renderRefusal(renderer, res, pageRefusal("not_found"), identity);
      const access = await conversationAccess(handoff, giveawayId, identity.userId);
      if (!access.ok) return refuse(req, res, identity, giveawayId, pageRefusal(access.code));
      const limited = await spend(clientIp(req), identity.userId);
      if (limited) return refuse(req, res, identity, giveawayId, rateLimitedPage(res, limited));
      const parsed = schema.safeParse(req.body ?? {});
      if (!parsed.success) return refuse(req, res, identity, giveawayId, pageRefusal("bad_form"));
      const decided = command(parsed.data, identity, giveawayId);
      if ("status" in decided) return refuse(req, res, identity, giveawayId, decided);
      const result = await handoff.commands(giveawayId, decided, pageCommandContext(identity));
      if (!result.ok) return refuse(req, res, identity, giveawayId, domainRefusal(result.error));
      if (req.get("HX-Request") === "true") return void res.status(204).end();
      res.redirect(303, pageAfterWrite(`/messages/${giveawayId}`, result.revision, anchor(parsed.data, giveawayId)));
    };
  }

  // After a reaction the no-JS reader lands back on the message it was about.
  const anchorOf = (giveawayId: string, messageId: string) => {
    const message = queries.messageById(giveawayId, messageId);
    return message ? `#msg-${message.revision}` : "#latest";
  };

  // A tap toggles: the reader's reaction with that emoji goes if it is there, else it is added.
  router.post(
    "/messages/:giveawayId/reactions",
    requireSignedIn,
    action(
      handoff.limits.messageSend,
      ReactionForm,
      ({ messageId, emoji }, identity, giveawayId) => {
        const message = queries.messageById(giveawayId, messageId);
        if (!message) return pageRefusal("message_not_found");
        const reacted = !Object.entries(message.reactions).some(([shown, users]) => shown.replace(/\uFE0F/g, "") === emoji.replace(/\uFE0F/g, "") && users.includes(identity.userId));
        return { type: "ReactToMessage", messageId, userId: identity.userId, emoji, reacted, now: handoff.now() };
      },
      ({ messageId }, giveawayId) => anchorOf(giveawayId, messageId),
    ),
  );

  // Without script, Remove asks on a page first (chatMessages.js asks in a dialog); its form posts below.
  router.get("/messages/:giveawayId/retract", requireSignedIn, async (req: Request, res: Response) => {
    const identity = identityOf(res);
    const giveawayId = String(req.params.giveawayId);
    if (!isId(giveawayId)) return renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    const access = await conversationAccess(handoff, giveawayId, identity.userId);
    if (!access.ok) return refuse(req, res, identity, giveawayId, pageRefusal(access.code));
    const parsed = MessageForm.safeParse(req.query);
    if (!parsed.success) return refuse(req, res, identity, giveawayId, pageRefusal("message_not_found"));
    const message = queries.messageById(giveawayId, parsed.data.messageId);
    if (!message) return refuse(req, res, identity, giveawayId, pageRefusal("message_not_found"));
    if (message.senderId !== identity.userId) return refuse(req, res, identity, giveawayId, pageRefusal("not_sender"));
    if (message.retractedAt !== null) return refuse(req, res, identity, giveawayId, pageRefusal("message_retracted"));
    const confirm = confirmation("retract", { giveawayId, messageId: message.id });
    renderer.page(res, 200, "./confirm", { title: confirm.question, identity, giveawayId, confirm });
  });

  router.post(
    "/messages/:giveawayId/retract",
    requireSignedIn,
    action(
      handoff.limits.messageSend,
      MessageForm,
      ({ messageId }, identity) => ({ type: "RetractMessage", messageId, userId: identity.userId, now: handoff.now(), editWindowMs: handoff.config.editWindowMs }),
      () => "#latest",
    ),
  );

  router.post(
    "/messages/:giveawayId/mute",
    requireSignedIn,
    action(handoff.limits.giveawayAction, MuteForm, ({ muted }, identity) => ({ type: "MuteConversation", userId: identity.userId, muted: muted === "1", now: handoff.now() }), () => ""),
  );
  return router;
}

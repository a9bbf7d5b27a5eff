// Blocking from the chat: "Block" opens a confirmation page (GET, no change), whose form posts the
// block; "Unblock" posts at once. Both work without script (303 back to the chat) and with it
// (HX-Request: a bare status). The one rule and the wait are the API's (blocksApi.ts changeBlock).
import express, { type Request, type Response } from "express";
import type { LimitsServices } from "../../app/services.ts";
import { isId } from "../../domain/ids.ts";
import { identityOf, type RequestIdentity } from "../authentication.ts";
import { changeBlock, type BlockServices } from "../api/blocksApi.ts";
import { clientIp } from "../edge/rateLimits.ts";
import { rateLimitedPage } from "./limitRefusals.ts";
import { pageCommandContext } from "./commandContext.ts";
import { conversationAccess, type ConversationAccessServices } from "./conversationAccess.ts";
import { renderRefusal } from "./pageAccess.ts";
import type { PageRenderer } from "./pageRenderer.ts";
import { pageRefusal, type PageRefusal } from "./pageRefusals.ts";
import { ApiError } from "../errorAnswers.ts";

export type BlockPagesServices = ConversationAccessServices & BlockServices & LimitsServices;

export function blockPages(handoff: BlockPagesServices, 
renderer: PageRenderer, requireSignedIn: express.RequestHandler): express.Router {
  const router = express.Router();

  function refuse(req: Request, res: Response, identity: RequestIdentity, giveawayId: string, refusal: PageRefusal) {
    if (req.get("HX-Request") === "true") return void res.status(refusal.status).type("text").send(refusal.message);
    renderRefusal(renderer, res, refusal, identity, { href: `/messages/${giveawayId}`, label: "Back to the chat" });
  }

  /** The conversation in the path, if the reader is a participant of it. */
  async function conversationOf(req: Request, res: Response) {
    const identity = identityOf(res);
    const giveawayId = String(req.params.giveawayId);
    if (!isId(giveawayId)) return void renderRefusal(renderer, res, pageRefusal("not_found"), identity);
    const access = await conversationAccess(handoff, giveawayId, identity.userId);
    if (!access.ok) return void refuse(req, res, identity, giveawayId, pageRefusal(access.code));
    return { identity, giveawayId, access };
  }

  router.get("/messages/:giveawayId/block", requireSignedIn, async (req: Request, res: Response) => {
    const found = await conversationOf(req, res);
    if (!found) return;
    const { identity, giveawayId, access } = found;
    renderer.page(res, 200, "./block", {
      title: `Block ${access.other.username}`,
      identity,
      giveawayId,
      other: access.other,
      blocked: handoff.queries.hasBlocked(identity.userId, access.other.id),
    });
  });

  for (const [path, blocked] of [["block", true], ["unblock", false]] as const) {
    router.post(`/messages/:giveawayId/${path}`, requireSignedIn, async (req: Request, res: Response) => {
      const found = await conversationOf(req, res);
      if (!found) return;
      const { identity, giveawayId, access } = found;
      const limited = await handoff.limits.giveawayAction(clientIp(req), identity.userId);
      if (limited) return refuse(req, res, identity, giveawayId, rateLimitedPage(res, limited));
      const outcome = await changeBlock(handoff, identity.userId, access.other.id, blocked, pageCommandContext(identity));
      if (!outcome.ok) {
        if (outcome.code === "cannot_block_self" || outcome.code === "not_found") return refuse(req, res, identity, giveawayId, pageRefusal(outcome.code));
        throw new ApiError(outcome.code, outcome.message); // a read model behind or stopped: the pages' error handler says so
      }
      if (req.get("HX-Request") === "true") return void res.status(204).end();
      res.redirect(303, `/messages/${giveawayId}`);
    });
  }
  return router;
}

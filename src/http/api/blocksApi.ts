// A user's blocks: PUT / DELETE /api/me/blocks/:userId (204, idempotent) and GET /api/me/blocks.
// A block holds against the next request at once: the answer waits until the read model shows it.
import express from "express";
import type { Handoff } from "../../app/handoff.ts";
import type { CommandContext } from "../../domain/eventMetadata.ts";
import { isId } from "../../domain/ids.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { limitGiveawayActions } from "../edge/rateLimits.ts";
import { untilReadModelShows } from "../../projections/untilReadModelShows.ts";
import { ApiError, type ApiErrorCode } from "./apiErrors.ts";
import { refuseWhileStopped } from "./giveawayCommands.ts";
import { commandContext, requireApiIdentity } from "./requestContext.ts";

export type BlockServices = Pick<Handoff, "blocks" | "queries" | "runner">;

export type BlockOutcome = { ok: true } | { ok: false; code: ApiErrorCode; message: string };

/** Blocks (or unblocks) `otherId` for `userId`, and waits until the read model shows it; shared by the API and the pages. */
export async function changeBlock(handoff: BlockServices, userId: string, otherId: unknown, blocked: boolean, context: CommandContext): Promise<BlockOutcome> {
  if (!isId(otherId) || !handoff.queries.userById(otherId)) return { ok: false, code: "not_found", message: "no such user" };
  refuseWhileStopped(handoff, ["blocks"]);
  const result = await handoff.blocks.change(userId, otherId, blocked, context);
  if (!result.ok) return { ok: false, code: result.error.code, message: result.error.message };
  if (!(await untilReadModelShows(() => handoff.queries.hasBlocked(userId, otherId) === blocked))) {
    return { ok: false, code: "read_model_lagging", message: "the change was saved but is not visible yet: read again in a moment" };
  }
  return { ok: true };
}

export function blocksApi(handoff: EdgeContext & BlockServices & Pick<Handoff, "limits">): express.Router {
  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);

  router.get("/me/blocks", signedIn, (_req, res) => {
    res.json({ blocks: handoff.queries.blocksOf(identityOf(res).userId) });
  });

  for (const [method, blocked] of [["put", true], ["delete", false]] as const) {
    router[method]("/me/blocks/:userId", signedIn, limitGiveawayActions(handoff), async (req, res) => {
      const outcome = await changeBlock(handoff, identityOf(res).userId, req.params.userId, blocked, commandContext(res));
      if (!outcome.ok) throw new ApiError(outcome.code, outcome.message);
      res.status(204).end();
    });
  }
  return router;
}

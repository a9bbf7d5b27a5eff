// The platform's backend pushes its giveaways in (docs/api.md, "Platform API"), under /api/platform
// with a service key. Ids are the platform's own: a giveaway's handoff id is derived from its
// platformId, and the users named are platform users (`sub`s). The platform's decisions are
// authoritative (src/domain/platformGiveaway.ts); these routes only shape input and answers.
import express from "express";
import { v5 as uuidV5 } from "uuid";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import type { Clock, Configured, LimitsServices, Reads, TokensServices } from "../../app/services.ts";
import type { Answer } from "../../app/idempotency.ts";
import { decide, type GiveawayCommand } from "../../domain/giveawayDecide.ts";
import { initialState } from "../../domain/giveaway.ts";
import { PlatformIdSchema, platformGiveawayId, platformUserId } from "../../domain/platformIds.ts";
import { ApiError, unknownApiRoute } from "./apiErrors.ts";
import { refuseWhileStopped, revisionHeader, waitUntilVisible, type AcceptedCommand, type CommandServices } from "./giveawayCommands.ts";
import { requireServiceKey, serviceKeyNameOf } from "./platformAccess.ts";
import { idempotentRoute } from "./platformIdempotentRoute.ts";
import { withPickup } from "./pickupApi.ts";
import { parseBody } from "./requestInput.ts";
import { requestIdOf } from "./requestContext.ts";
import { freshlyOrThrow } from "../freshReads.ts";

// Lengths are the domain's rules (invalid_title, invalid_content, ...); here only the shape.
const GiveawaySchema = z.object({ title: z.string(), description: z.string().optional(), giverId: PlatformIdSchema });
const WinnerSchema = z.object({ winnerId: PlatformIdSchema });
const CancelSchema = z.object({ reason: z.string().optional() }).optional();
const SystemMessageSchema = z.object({ content: z.string() });

/** Fixed forever: a system message's id is derived from the call's Idempotency-Key, so a retry names the same message. */
const systemMessageNamespace = "2d1f7c3a-9b4e-5a6d-8c7b-1e0f2a3b4c5d";

/** The giveaway in the path: anything but a platform id names no giveaway (404). */
function giveawayParam(value: unknown): { platformId: string; giveawayId: string } {
  const parsed = PlatformIdSchema.safeParse(value);
  if (!parsed.success) throw new ApiError("giveaway_not_found", "no such giveaway");
  return { platformId: parsed.data, giveawayId: platformGiveawayId(parsed.data) };
}

function userParam(value: unknown): string {
  const parsed = PlatformIdSchema.safeParse(value);
  if (!parsed.success) throw new ApiError("not_found", "no such user: a user id is 1 to 64 letters, digits, '_' or '-'");
  return parsed.data;
}

/** The platform's backend: its keys, its retries' answers, its users; suspensions via the token service. */
export type PlatformApiServices = CommandServices & Reads & Clock & Configured & TokensServices & LimitsServices & Pick<Handoff, "platform" | "serviceKeys" | "idempotentAnswers">;

export function platformApi(handoff: PlatformApiServices): express.Router {

  const router = express.Router();
  router.use(requireServiceKey(handoff));
  const policy = handoff.config.pickup;

  /** The giveaway as GET /api/giveaways/:id shows it (to its giver), with the platform's id. */
  const view = (giveawayId: string) => {
    const giveaway = handoff.queries.giveawayById(giveawayId);
    if (!giveaway) throw new ApiError("giveaway_not_found", "no such giveaway");
    return withPickup(handoff, giveaway, giveaway.giverId);
  };

  /** Runs a command as the calling service key; the answer waits until the read models show it. */
  async function run(res: express.Response, giveawayId: string, command: GiveawayCommand): Promise<AcceptedCommand> {
    refuseWhileStopped(handoff, command.type === "PostSystemMessage" ? ["giveaways", "conversation"] : ["giveaways"]);
    const requestId = requestIdOf(res);
    const context = { actorId: `platform:${serviceKeyNameOf(res)}`, correlationId: requestId, causationId: requestId };
    const result = await handoff.commands(giveawayId, command, context);
    if (!result.ok) throw new ApiError(result.error.code, result.error.message);
    res.setHeader(revisionHeader, String(result.revision));
    await waitUntilVisible(handoff, giveawayId, result.revision);
    return result;
  }

  /** A platform user named here gets their stream (and a name, their sub) before any event names them. */
  const linked = (sub: string, res: express.Response) => handoff.platform.users.ensureLinked(sub, requestIdOf(res));

  /** Before naming a user for a giveaway: an unknown giveaway stores nothing at all. */
  async function existing(giveawayId: string): Promise<void> {
    if ((await handoff.storedRevision(giveawayId)) < 0) throw new ApiError("giveaway_not_found", "no such giveaway");
  }

  router.get("/giveaways/:giveawayId", async (req, res) => {
    const { giveawayId } = giveawayParam(req.params.giveawayId);
    // Made a moment ago through another process: caught up before a 404.
    res.json(await freshlyOrThrow(handoff, () => view(giveawayId)));
  });

  router.put(
    "/giveaways/:giveawayId",
    idempotentRoute(handoff, async (req, res): Promise<Answer> => {
      const { platformId, giveawayId } = giveawayParam(req.params.giveawayId);
      const { title, description, giverId } = parseBody(GiveawaySchema, req.body);
      const command = { type: "PutPlatformGiveaway", giveawayId, platformId, giverId: platformUserId(giverId), title, description, now: handoff.now() } as const;
      // The domain's title and description rules, before the giver is named: a bad body stores nothing.
      const checked = decide(command, initialState);
      if (!checked.ok) throw new ApiError(checked.error.code, checked.error.message);
      await linked(giverId, res);
      const result = await run(res, giveawayId, command);
      const created = result.appended.some(({ event }) => event.type === "GiveawayCreated");
      if (created) res.location(`/api/platform/giveaways/${platformId}`);
      return { status: created ? 201 : 200, body: view(giveawayId) };
    }),
  );

  router.put(
    "/giveaways/:giveawayId/entrants/:userId",
    idempotentRoute(handoff, async (req, res): Promise<Answer> => {
      const { giveawayId } = giveawayParam(req.params.giveawayId);
      const sub = userParam(req.params.userId);
      await existing(giveawayId);
      const userId = await linked(sub, res);
      const result = await run(res, giveawayId, { type: "AddPlatformEntrant", userId, now: handoff.now(), blockedBy: handoff.queries.blockersOf(userId), suspended: handoff.tokens.isSuspended(userId) });
      return { status: result.appended.length > 0 ? 201 : 200, body: view(giveawayId) };
    }),
  );

  router.delete(
    "/giveaways/:giveawayId/entrants/:userId",
    idempotentRoute(handoff, async (req, res): Promise<Answer> => {
      const { giveawayId } = giveawayParam(req.params.giveawayId);
      const userId = platformUserId(userParam(req.params.userId));
      await run(res, giveawayId, { type: "WithdrawPlatformEntrant", userId, now: handoff.now() });
      return { status: 204, body: null };
    }),
  );

  // The winner must be an entrant, who was linked when added: no one new is named here.
  for (const [path, type] of [["draw", "PlatformDraw"], ["redraw", "PlatformRedraw"]] as const) {
    router.post(
      `/giveaways/:giveawayId/${path}`,
      idempotentRoute(handoff, async (req, res): Promise<Answer> => {
        const { giveawayId } = giveawayParam(req.params.giveawayId);
        const winnerId = platformUserId(parseBody(WinnerSchema, req.body).winnerId);
        await run(res, giveawayId, { type, winnerId, now: handoff.now(), suspended: handoff.tokens.isSuspended(winnerId) });
        return { status: 200, body: view(giveawayId) };
      }),
    );
  }

  router.post(
    "/giveaways/:giveawayId/cancel",
    idempotentRoute(handoff, async (req, res): Promise<Answer> => {
      const { giveawayId } = giveawayParam(req.params.giveawayId);
      const reason = parseBody(CancelSchema, req.body)?.reason;
      await run(res, giveawayId, { type: "CancelPlatformGiveaway", reason, now: handoff.now(), lastWordsMs: policy.lastWordsMs });
      return { status: 200, body: view(giveawayId) };
    }),
  );

  router.post(
    "/giveaways/:giveawayId/messages",
    idempotentRoute(handoff, async (req, res, idempotencyKey): Promise<Answer> => {
      const { giveawayId } = giveawayParam(req.params.giveawayId);
      const { content } = parseBody(SystemMessageSchema, req.body);
      const messageId = uuidV5(`${serviceKeyNameOf(res)}\n${idempotencyKey}`, systemMessageNamespace);
      const result = await run(res, giveawayId, { type: "PostSystemMessage", messageId, content, now: handoff.now() });
      const posted = handoff.queries.messageById(giveawayId, messageId);
      if (!posted) throw new ApiError("read_model_lagging", `the message was saved (revision ${result.revision}) but is not visible yet: read it again in a moment`);
      return { status: 201, body: { ...posted, warning: null } };
    }),
  );

  // Nothing under /api/platform falls through to the user routes.
  router.use(unknownApiRoute);
  return router;
}

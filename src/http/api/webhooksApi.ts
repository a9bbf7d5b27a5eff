// The platform's webhook endpoints (docs/api.md, "Webhooks"), under /api/platform/webhooks with a
// service key; each changing call takes an Idempotency-Key like the rest of /api/platform. A key sees
// and changes only its own endpoints. The secret is in the answer to the creation and to a rotation,
// and nowhere else.
import express from "express";
import { z } from "zod";
import type { Handoff } from "../../app/handoff.ts";
import type { LimitsServices } from "../../app/services.ts";
import type { WebhookRefusal } from "../../app/webhookEndpoints.ts";
import { isId } from "../../domain/ids.ts";
import { ApiError, unknownApiRoute } from "./apiErrors.ts";
import { requireServiceKey, serviceKeyNameOf } from "./platformAccess.ts";
import { idempotentRoute } from "./platformIdempotentRoute.ts";
import { parseBody } from "./requestInput.ts";

const EndpointSchema = z.object({
  url: z.string().min(1).max(2000),
  events: z.array(z.string().min(1).max(100)).min(1).max(20),
});

export type WebhooksApiServices = LimitsServices & Pick<Handoff, "serviceKeys" | "idempotentAnswers" | "webhooks">;

function refused(refusal: WebhookRefusal): never {
  throw new ApiError(refusal.code, refusal.message);
}

/** The endpoint in the path: anything but an id names none (404). */
function endpointParam(value: unknown): string {
  if (!isId(value)) throw new ApiError("not_found", "no such webhook endpoint");
  return value;
}

export function webhooksApi(handoff: WebhooksApiServices): express.Router {
  const router = express.Router();
  router.use(requireServiceKey(handoff));

  router.get("/", async (_req, res) => {
    res.json({ webhooks: await handoff.webhooks.list(serviceKeyNameOf(res)) });
  });

  router.post(
    "/",
    idempotentRoute(handoff, async (req, res) => {
      const input = parseBody(EndpointSchema, req.body);
      const registered = await handoff.webhooks.register(serviceKeyNameOf(res), input);
      if (!registered.ok) refused(registered);
      return { status: 201, body: { ...registered.endpoint, secret: registered.secret } };
    }),
  );

  router.delete(
    "/:endpointId",
    idempotentRoute(handoff, async (req, res) => {
      const removed = await handoff.webhooks.remove(serviceKeyNameOf(res), endpointParam(req.params.endpointId));
      if (!removed.ok) refused(removed);
      return { status: 204, body: null };
    }),
  );

  router.post(
    "/:endpointId/rotate-secret",
    idempotentRoute(handoff, async (req, res) => {
      const endpointId = endpointParam(req.params.endpointId);
      const rotated = await handoff.webhooks.rotateSecret(serviceKeyNameOf(res), endpointId);
      if (!rotated.ok) refused(rotated);
      return { status: 200, body: { id: endpointId, secret: rotated.secret, previousSecretValidUntil: rotated.previousSecretValidUntil } };
    }),
  );

  router.use(unknownApiRoute);
  return router;
}

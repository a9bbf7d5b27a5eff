// A changing platform call: it needs an Idempotency-Key, and its first successful answer (status and
// JSON body) is what every retry with that key gets (src/app/idempotency.ts records it).
import type { Request, RequestHandler, Response } from "express";
import type { Handoff } from "../../app/handoff.ts";
import type { Answer } from "../../app/idempotency.ts";
import { IdempotencyKeySchema } from "../../domain/platformIdempotency.ts";
import { ApiError } from "./apiErrors.ts";
import { serviceKeyNameOf } from "./platformAccess.ts";
import { requestIdOf } from "./requestContext.ts";

/** Set on an answer replayed from an earlier call with the same key. */
export const replayedHeader = "Idempotent-Replayed";

export function idempotentRoute(
  handoff: Pick<Handoff, "idempotentAnswers">,
  handler: (req: Request, res: Response, idempotencyKey: string) => Promise<Answer>,
): RequestHandler {
  return async (req, res) => {
    const header = req.headers["idempotency-key"];
    const checked = IdempotencyKeySchema.safeParse(header);
    if (!checked.success) {
      const problem = header === undefined ? "is missing" : "must be 1 to 255 printable characters";
      throw new ApiError("idempotency_key_required", `the Idempotency-Key header ${problem}: send the id of the platform's own event, the same on every retry`);
    }
    const call = {
      keyName: serviceKeyNameOf(res),
      idempotencyKey: checked.data,
      method: req.method,
      path: `${req.baseUrl}${req.path}`,
      body: req.body as unknown,
      correlationId: requestIdOf(res),
    };
    const outcome = await handoff.idempotentAnswers.once(call, () => handler(req, res, checked.data));
    if (outcome.kind === "conflict") throw new ApiError("idempotency_key_conflict", "this Idempotency-Key was used for another request (method, path or body): use a new key");
    if (outcome.replayed) res.setHeader(replayedHeader, "true");
    const { status, body } = outcome.answer;
    if (status === 204 || body === null || body === undefined) res.status(status).end();
    else res.status(status).json(body);
  };
}

// The one way a read is refused on what this process's read models lack (app/readModelFreshness.ts):
// decide; if the answer is such a refusal, catch the read models up to the log's head and decide
// again; if they could not catch up in time, 503 read_model_lagging with Retry-After.
import type { Handoff } from "../app/handoff.ts";
import { ApiError } from "./api/apiErrors.ts";

/** Refusals read from the read models that the log may already contradict (made or drawn on another process). */
export const staleableRefusals: ReadonlySet<string> = new Set(["giveaway_not_found", "not_participant", "conversation_closed"]);

export type FreshnessSource = Pick<Handoff, "freshness">;

export function readModelLagging(handoff: FreshnessSource): ApiError {
  return new ApiError("read_model_lagging", "this server has not caught up with the latest changes yet: try again in a moment", handoff.freshness.retryAfterSeconds);
}

/** Catches the read models up, or throws read_model_lagging. */
export async function catchUpOrRefuse(handoff: FreshnessSource): Promise<void> {
  if ((await handoff.freshness.catchUp()) === "lagging") throw readModelLagging(handoff);
}

/**
 * `decide` answers from the read models; `refused` tells an answer that may be stale (a 404 or 403 of
 * something the log may hold). Positive answers are returned as they are, at no extra cost.
 */
export async function freshly<T>(handoff: FreshnessSource, decide: () => T, refused: (answer: T) => boolean): Promise<T> {
  const first = decide();
  if (!refused(first)) return first;
  await catchUpOrRefuse(handoff);
  return decide();
}

/** The same for a decision that throws its refusal as an ApiError (the API's style). */
export async function freshlyOrThrow<T>(handoff: FreshnessSource, decide: () => T): Promise<T> {
  try {
    return decide();
  } catch (error) {
    if (!(error instanceof ApiError) || !staleableRefusals.has(error.code)) throw error;
  }
  await catchUpOrRefuse(handoff);
  return decide();
}

/** For a {ok, code} decision (the participant rule's). */
export const refusedStaleably = (answer: { ok: boolean; code?: string }): boolean => !answer.ok && answer.code !== undefined && staleableRefusals.has(answer.code);

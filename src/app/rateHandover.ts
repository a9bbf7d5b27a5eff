// The rating command as the API and the pages build it: the one place that asks the blocks read
// model whether a block stands between the two sides (either way round).
import type { RateHandover } from "../domain/ratings.ts";
import type { ReadModelQueries } from "./handoff.ts";

export interface RatingInput {
  stars: number;
  comment?: string | undefined;
}

type Queries = Pick<ReadModelQueries, "giveawayById" | "hasBlocked">;

/** Whether `raterId` and the other side of the giveaway have blocked each other (either of them). */
export function blockedBetweenSides(queries: Queries, giveawayId: string, raterId: string): boolean {
  const giveaway = queries.giveawayById(giveawayId);
  if (!giveaway) return false;
  const otherId = raterId === giveaway.giverId ? giveaway.winnerId : giveaway.giverId;
  if (otherId === null) return false;
  return queries.hasBlocked(raterId, otherId) || queries.hasBlocked(otherId, raterId);
}

export function rateHandoverCommand(queries: Queries, giveawayId: string, raterId: string, input: RatingInput, now: Date): RateHandover {
  return { type: "RateHandover", raterId, stars: input.stars, comment: input.comment, now, blocked: blockedBetweenSides(queries, giveawayId, raterId) };
}

// Rating the other side of a completed handover: the giver rates the winner and the winner the
// giver, once each, editable (the same event again) until seven days after completion. Pure: the
// time and whether a block stands between the two come with the command.
import { decided, refused, type Decision } from "./decision.ts";
import type { GiveawayEvent } from "./events.ts";
import type { DrawnGiveaway, GivenRatings, GiveawayState } from "./giveawayState.ts";
import { currentWinner } from "./pickup.ts";
import { ratingCommentMaxLength, ratingWindowMs, type HandoverRated } from "./ratingsEvents.ts";

export interface RateHandover {
  readonly type: "RateHandover";
  readonly raterId: string;
  readonly stars: number;
  readonly comment?: string | undefined;
  readonly now: Date;
  /** Either of the two has blocked the other (the blocks read model): ratings between them are refused. */
  readonly blocked: boolean;
}

/** Folds a rating into a drawn giveaway: the latest one of each rater stands. */
export function evolveRating(state: GiveawayState, rated: HandoverRated): GiveawayState {
  if (state.status !== "drawn") return state;
  const ratings: GivenRatings = { ...state.ratings, [rated.raterId]: { stars: rated.stars, comment: rated.comment ?? "" } };
  return { ...state, ratings };
}

/** Who `raterId` rates in this giveaway: the other side of the handover, or undefined if they are neither. */
export function rateeOf(state: DrawnGiveaway, raterId: string): string | undefined {
  const winnerId = currentWinner(state.pickup);
  if (raterId === state.giverId) return winnerId;
  if (raterId === winnerId) return state.giverId;
  return undefined;
}

export function decideRating(command: RateHandover, state: GiveawayState): Decision<GiveawayEvent> {
  const { raterId, now } = command;
  if (state.status === "none") return refused("giveaway_not_found", "no such giveaway");
  if (state.status !== "drawn") return refused("not_completed", "a giveaway can be rated once it has been handed over");
  const rateeId = rateeOf(state, raterId);
  if (rateeId === undefined) return refused("not_participant", "only the giver and the winner rate each other");
  if (state.pickup.phase !== "completed") return refused("not_completed", "a giveaway can be rated once it has been handed over");
  if (rateeId === raterId) return refused("cannot_rate_self", "you cannot rate yourself");
  if (command.blocked) return refused("blocked", "you cannot rate this person");
  const completedAt = Date.parse(state.pickup.completedAt ?? "");
  if (!(now.getTime() <= completedAt + ratingWindowMs)) return refused("rating_closed", "ratings can be given or changed for 7 days after the handover");
  const { stars } = command;
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) return refused("invalid_stars", "stars must be a whole number from 1 to 5");
  const comment = command.comment?.trim() ?? "";
  if (comment.length > ratingCommentMaxLength) return refused("invalid_comment", `a comment is at most ${ratingCommentMaxLength} characters`);
  // The same rating again (a retried form) changes nothing.
  const given = state.ratings?.[raterId];
  if (given && given.stars === stars && given.comment === comment) return decided([]);
  return decided([{ type: "HandoverRated", data: { raterId, rateeId, stars, ...(comment && { comment }), ratedAt: now.toISOString() } }]);
}

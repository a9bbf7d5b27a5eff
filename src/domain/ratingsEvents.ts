// Ratings after the handover, in the giveaway's stream (events.ts registers them). An edit is the
// same event again: the fold keeps the latest. Schemas only grow.
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();

export const ratingCommentMaxLength = 500;
/** A rating can be given or changed for this long after the giveaway was completed. */
export const ratingWindowMs = 7 * 24 * 3600 * 1000;

/** `raterId` rated the other side of a completed handover, `rateeId`, 1 to 5 stars. */
export const HandoverRatedSchema = z.object({
  raterId: id,
  rateeId: id,
  stars: z.int().min(1).max(5),
  comment: z.string().max(ratingCommentMaxLength).optional(),
  ratedAt: instant,
});

export type HandoverRated = z.output<typeof HandoverRatedSchema>;

export const ratingEvents = eventFamily("rating", {
  HandoverRated: HandoverRatedSchema,
});

export type RatingEvent = EventsOf<typeof ratingEvents.schemas>;

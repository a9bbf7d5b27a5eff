// Ratings after the handover: the newest rating each side gave in each giveaway (an edit replaces
// it), for profiles (count, average, latest comments), the chat's rating form and the giver's view
// of their entrants.
import type Database from "better-sqlite3";
import type { Projection } from "./projection.ts";

export const ratingsProjection = {
  name: "ratings",
  streams: ["giveaway"],
  schema: `
    CREATE TABLE IF NOT EXISTS ratings (
      giveaway_id TEXT NOT NULL, rater_id TEXT NOT NULL, ratee_id TEXT NOT NULL, stars INTEGER NOT NULL,
      comment TEXT NOT NULL, rated_at TEXT NOT NULL, PRIMARY KEY (giveaway_id, rater_id));
    CREATE INDEX IF NOT EXISTS ratings_by_ratee ON ratings (ratee_id, rated_at);`,
  prepare(db) {
    const upsert = db.prepare(
      `INSERT INTO ratings (giveaway_id, rater_id, ratee_id, stars, comment, rated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (giveaway_id, rater_id) DO UPDATE SET ratee_id = excluded.ratee_id, stars = excluded.stars, comment = excluded.comment, rated_at = excluded.rated_at`,
    );
    return (projected) => {
      if (projected.stream !== "giveaway" || projected.event.type !== "HandoverRated") return;
      const { raterId, rateeId, stars, comment, ratedAt } = projected.event.data;
      upsert.run(projected.giveawayId, raterId, rateeId, stars, comment ?? "", ratedAt);
    };
  },
  queries: ratingsQueries,
} satisfies Projection;

export interface RatingView {
  giveawayId: string;
  raterId: string;
  rateeId: string;
  stars: number;
  /** "" when none was given. */
  comment: string;
  ratedAt: string;
}

export interface RatingSummary {
  count: number;
  /** Rounded to one decimal; null with no ratings. */
  average: number | null;
}

/** A rating as a profile lists it: who gave it, for which giveaway. */
export interface ReceivedRating extends RatingView {
  raterName: string;
  giveawayTitle: string;
}

export interface EntrantRating extends RatingSummary {
  userId: string;
  username: string;
}

const summaryOf = (row: { count: number; total: number | null }): RatingSummary => ({
  count: row.count,
  average: row.count === 0 || row.total === null ? null : Math.round((row.total / row.count) * 10) / 10,
});

const ratingColumns = "r.giveaway_id AS giveawayId, r.rater_id AS raterId, r.ratee_id AS rateeId, r.stars, r.comment, r.rated_at AS ratedAt";

export function ratingsQueries(db: Database.Database) {
  const byRater = db.prepare<[string, string], RatingView>(`SELECT ${ratingColumns} FROM ratings r WHERE r.giveaway_id = ? AND r.rater_id = ?`);
  const summary = db.prepare<[string], { count: number; total: number | null }>("SELECT count(*) AS count, sum(stars) AS total FROM ratings WHERE ratee_id = ?");
  const latest = db.prepare<[string, number], ReceivedRating>(
    `SELECT ${ratingColumns}, coalesce(u.username, '?') AS raterName, coalesce(g.title, '') AS giveawayTitle
     FROM ratings r LEFT JOIN users u ON u.id = r.rater_id LEFT JOIN giveaways g ON g.id = r.giveaway_id
     WHERE r.ratee_id = ? AND r.comment <> '' ORDER BY r.rated_at DESC, r.giveaway_id LIMIT ?`,
  );
  const entrants = db.prepare<[string], { userId: string; username: string; count: number; total: number | null }>(
    `SELECT e.user_id AS userId, coalesce(u.username, '?') AS username, count(r.stars) AS count, sum(r.stars) AS total
     FROM entrants e LEFT JOIN users u ON u.id = e.user_id LEFT JOIN ratings r ON r.ratee_id = e.user_id
     WHERE e.giveaway_id = ? GROUP BY e.user_id ORDER BY min(e.entered_at), e.user_id`,
  );
  return {
    /** The rating `raterId` gave in this giveaway, if any. */
    ratingBy: (giveawayId: string, raterId: string): RatingView | undefined => byRater.get(giveawayId, raterId),
    ratingSummaryOf: (userId: string): RatingSummary => summaryOf(summary.get(userId) ?? { count: 0, total: null }),
    /** The newest ratings with a comment that `userId` received, newest first. */
    latestRatingCommentsOf: (userId: string, limit = 10): ReceivedRating[] => latest.all(userId, limit),
    /** Each entrant of a giveaway with the ratings they have received, in entry order. */
    entrantRatings: (giveawayId: string): EntrantRating[] => entrants.all(giveawayId).map(({ userId, username, ...row }) => ({ userId, username, ...summaryOf(row) })),
  };
}

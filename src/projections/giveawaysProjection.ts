// Giveaways for lists and detail pages: status, giver, entrants, winner, and the item's photos (the
// first is the cover).
import type Database from "better-sqlite3";
import { assertNever } from "../domain/errors.ts";
import type { GiveawayStatus } from "../domain/pickup.ts";
import type { Projection, ProjectionApply } from "./projection.ts";

export const giveawaysProjection = {
  name: "giveaways",
  streams: ["giveaway"],
  schema: `
    CREATE TABLE IF NOT EXISTS giveaways (
      id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, giver_id TEXT NOT NULL,
      status TEXT NOT NULL, entrant_count INTEGER NOT NULL, winner_id TEXT, created_at TEXT NOT NULL, drawn_at TEXT,
      last_revision INTEGER NOT NULL, platform_id TEXT);
    CREATE TABLE IF NOT EXISTS entrants (giveaway_id TEXT NOT NULL, user_id TEXT NOT NULL, entered_at TEXT NOT NULL,
      PRIMARY KEY (giveaway_id, user_id));
    -- position: the stream revision it was added at, so the first added (the cover) sorts first.
    CREATE TABLE IF NOT EXISTS giveaway_photos (giveaway_id TEXT NOT NULL, photo_id TEXT NOT NULL, position INTEGER NOT NULL,
      sha256 TEXT NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL, added_at TEXT NOT NULL,
      PRIMARY KEY (giveaway_id, photo_id));`,
  prepare(db) {
    const create = db.prepare(
      `INSERT OR IGNORE INTO giveaways (id, title, description, giver_id, status, entrant_count, created_at, last_revision, platform_id)
       VALUES (?, ?, ?, ?, 'open', 0, ?, ?, ?)`,
    );
    // Only the fields the platform changed (a NULL keeps the column as it is).
    const changeDetails = db.prepare(
      "UPDATE giveaways SET title = coalesce(?, title), description = coalesce(?, description), giver_id = coalesce(?, giver_id) WHERE id = ?",
    );
    const withdraw = db.prepare("DELETE FROM entrants WHERE giveaway_id = ? AND user_id = ?");
    const uncountEntrant = db.prepare("UPDATE giveaways SET entrant_count = entrant_count - 1 WHERE id = ?");
    const enter = db.prepare("INSERT OR IGNORE INTO entrants (giveaway_id, user_id, entered_at) VALUES (?, ?, ?)");
    const countEntrant = db.prepare("UPDATE giveaways SET entrant_count = entrant_count + 1 WHERE id = ?");
    const draw = db.prepare("UPDATE giveaways SET status = 'drawn', winner_id = ?, drawn_at = ? WHERE id = ?");
    const setStatus = db.prepare("UPDATE giveaways SET status = ? WHERE id = ?");
    const redraw = db.prepare("UPDATE giveaways SET status = 'drawn', winner_id = ? WHERE id = ?");
    const touch = db.prepare("UPDATE giveaways SET last_revision = ? WHERE id = ?");
    const addPhoto = db.prepare(
      `INSERT OR IGNORE INTO giveaway_photos (giveaway_id, photo_id, position, sha256, content_type, size, added_at)
       VALUES (@giveawayId, @photoId, @position, @sha256, @contentType, @size, @addedAt)`,
    );
    // The newest revision applied per giveaway is written once per batch, not once per event: a
    // conversation's messages arrive many to a batch while catching up (read-your-writes reads it
    // only after the batch commits).
    let touched = new Map<string, bigint>();
    const apply: ProjectionApply = (projected) => {
      if (projected.stream !== "giveaway") return;
      const { giveawayId, event, recorded } = projected;
      switch (event.type) {
        case "GiveawayCreated":
          create.run(giveawayId, event.data.title, event.data.description, event.data.giverId, event.data.createdAt, recorded.revision, event.data.platformId ?? null);
          break;
        case "EntrySubmitted":
          if (enter.run(giveawayId, event.data.userId, event.data.enteredAt).changes > 0) countEntrant.run(giveawayId);
          break;
        case "GiveawayDetailsChanged":
          changeDetails.run(event.data.title ?? null, event.data.description ?? null, event.data.giverId ?? null, giveawayId);
          break;
        case "EntryWithdrawn":
          if (withdraw.run(giveawayId, event.data.userId).changes > 0) uncountEntrant.run(giveawayId);
          break;
        case "DrawConducted":
          draw.run(event.data.winnerId, event.data.drawnAt, giveawayId);
          break;
        case "PickupProposalAccepted":
          setStatus.run("pickup_agreed", giveawayId);
          break;
        case "GiveawayCompleted":
          setStatus.run("completed", giveawayId);
          break;
        case "GiveawayCancelled":
          setStatus.run("cancelled", giveawayId);
          break;
        case "WinnerRedrawn":
          redraw.run(event.data.winnerId, giveawayId);
          break;
        case "GiveawayPhotoAdded": {
          const { photoId, sha256, contentType, size, addedAt } = event.data;
          addPhoto.run({ giveawayId, photoId, position: recorded.revision, sha256, contentType, size, addedAt });
          break;
        }
        case "MessageSent":
        case "SystemMessagePosted":
        case "ConversationRead":
        case "PickupProposed":
        case "PickupProposalDeclined":
        case "PickupReminderSent":
        case "HandoverConfirmed":
        case "PrizeDeclined":
        case "ReactionAdded":
        case "ReactionRemoved":
        case "MessageEdited":
        case "MessageRetracted":
        case "AttachmentUploaded":
        case "ConversationMuted":
        case "ConversationUnmuted":
        case "ReportDismissed":
        case "MessageHidden":
        case "ConversationViewedByModerator":
        case "ReportFiled":
        case "HandoverRated":
          break;
        default:
          assertNever(event);
      }
      touched.set(giveawayId, recorded.revision);
    };
    apply.beginBatch = () => {
      touched = new Map();
    };
    apply.endBatch = () => {
      for (const [giveawayId, revision] of touched) touch.run(revision, giveawayId);
      touched = new Map();
    };
    return apply;
  },
  queries: giveawaysQueries,
} satisfies Projection;

export interface GiveawayView {
  id: string;
  title: string;
  description: string;
  giverId: string;
  giverName: string;
  status: GiveawayStatus;
  entrantCount: number;
  winnerId: string | null;
  winnerName: string | null;
  createdAt: string;
  drawnAt: string | null;
  /** The platform's own id of a giveaway its backend pushed in; null for one created in handoff. */
  platformId: string | null;
  /** The item's first photo (GET /api/giveaways/:id/photos/:photoId); null until one is added. */
  coverPhotoId: string | null;
}

export interface GiveawayPhotoView {
  photoId: string;
  giveawayId: string;
  sha256: string;
  contentType: string;
  size: number;
  addedAt: string;
}

const selectGiveaway = `
  SELECT g.id, g.title, g.description, g.giver_id AS giverId, giver.username AS giverName, g.status,
         g.entrant_count AS entrantCount, g.winner_id AS winnerId, winner.username AS winnerName,
         g.created_at AS createdAt, g.drawn_at AS drawnAt, g.platform_id AS platformId,
         (SELECT p.photo_id FROM giveaway_photos p WHERE p.giveaway_id = g.id ORDER BY p.position LIMIT 1) AS coverPhotoId
  FROM giveaways g LEFT JOIN users giver ON giver.id = g.giver_id LEFT JOIN users winner ON winner.id = g.winner_id`;

export function giveawaysQueries(db: Database.Database) {
  const byId = db.prepare<[string], GiveawayView>(`${selectGiveaway} WHERE g.id = ?`);
  const newestFirst = db.prepare<[number], GiveawayView>(`${selectGiveaway} ORDER BY g.created_at DESC, g.id LIMIT ?`);
  const entered = db.prepare<[string, string], { one: number }>("SELECT 1 AS one FROM entrants WHERE giveaway_id = ? AND user_id = ?");
  const selectPhoto = `SELECT photo_id AS photoId, giveaway_id AS giveawayId, sha256, content_type AS contentType, size, added_at AS addedAt FROM giveaway_photos`;
  const photos = db.prepare<[string], GiveawayPhotoView>(`${selectPhoto} WHERE giveaway_id = ? ORDER BY position`);
  const photo = db.prepare<[string, string], GiveawayPhotoView>(`${selectPhoto} WHERE giveaway_id = ? AND photo_id = ?`);
  return {
    giveawayById: (id: string): GiveawayView | undefined => byId.get(id),
    listGiveaways: (limit = 100): GiveawayView[] => newestFirst.all(limit),
    hasEntered: (giveawayId: string, userId: string): boolean => entered.get(giveawayId, userId) !== undefined,
    /** The item's photos, the cover first. */
    photosOf: (giveawayId: string): GiveawayPhotoView[] => photos.all(giveawayId),
    photoById: (giveawayId: string, photoId: string): GiveawayPhotoView | undefined => photo.get(giveawayId, photoId),
  };
}

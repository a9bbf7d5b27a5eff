// A giveaway's photos: the giver adds them (raw bytes of one picture each) before completion; whoever
// may see the giveaway (app/giveawayVisibility.ts) lists and fetches them. The first is the cover.
import express from "express";
import type { Handoff } from "../../app/handoff.ts";
import { giveawaySight } from "../../app/giveawayVisibility.ts";
import { isId } from "../../domain/ids.ts";
import type { GiveawayPhotoView } from "../../projections/giveawaysProjection.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { limitGiveawayActions } from "../edge/rateLimits.ts";
import { freshlyOrThrow } from "../freshReads.ts";
import { ApiError } from "./apiErrors.ts";
import { runGiveawayCommand, type CommandServices } from "./giveawayCommands.ts";
import { rawPhotoBody, refuseLargePhoto, sendPhoto, storePhoto } from "./photoUploads.ts";
import { requireApiIdentity } from "./requestContext.ts";
import { giveawayIdParam } from "./requestInput.ts";

export type GiveawayPhotoServices = EdgeContext & CommandServices & Pick<Handoff, "config" | "queries" | "blobs" | "limits" | "newId" | "now">;

export function giveawayPhotoUrl(giveawayId: string, photoId: string): string {
  return `/api/giveaways/${giveawayId}/photos/${photoId}`;
}

function photoJson(photo: GiveawayPhotoView, coverPhotoId: string | null) {
  const { photoId, giveawayId, contentType, size, sha256, addedAt } = photo;
  return { id: photoId, giveawayId, contentType, size, sha256, addedAt, cover: photoId === coverPhotoId, url: giveawayPhotoUrl(giveawayId, photoId) };
}

export function giveawayPhotosApi(handoff: GiveawayPhotoServices): express.Router {
  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);
  const maxBytes = handoff.config.attachmentMaxBytes;

  /** The giveaway as the one visibility rule shows it to the asker, caught up before a 404. */
  const visible = (giveawayId: string, viewerId: string) =>
    freshlyOrThrow(handoff, () => {
      const sight = giveawaySight(handoff.queries, giveawayId, viewerId);
      if (!sight.ok) throw new ApiError(sight.code, sight.message);
      return sight.giveaway;
    });

  // Only the giver's upload is read at all: the decider says the rest (completed, cancelled, too many).
  const giverFirst: express.RequestHandler = async (req, res, next) => {
    const giveaway = await visible(giveawayIdParam(req.params.id), identityOf(res).userId);
    if (giveaway.giverId !== identityOf(res).userId) throw new ApiError("not_giver", "only the giver adds photos of the item");
    refuseLargePhoto(req, maxBytes);
    next();
  };

  router.post("/giveaways/:id/photos", signedIn, limitGiveawayActions(handoff), giverFirst, rawPhotoBody(maxBytes), async (req, res) => {
    const giveawayId = giveawayIdParam(req.params.id);
    const stored = await storePhoto(req, handoff.blobs, maxBytes);
    const result = await runGiveawayCommand(handoff, res, giveawayId, { type: "AddGiveawayPhoto", photoId: handoff.newId(), by: identityOf(res).userId, ...stored, now: handoff.now() });
    // The same picture again (a retried upload) is the photo it already is.
    const photo = handoff.queries.photosOf(giveawayId).find((each) => each.sha256 === stored.sha256);
    if (!photo) throw new ApiError("read_model_lagging", "the photo was saved but is not visible yet: read again in a moment");
    const cover = handoff.queries.giveawayById(giveawayId)?.coverPhotoId ?? null;
    res.status(result.appended.length > 0 ? 201 : 200).location(giveawayPhotoUrl(giveawayId, photo.photoId)).json(photoJson(photo, cover));
  });

  router.get("/giveaways/:id/photos", signedIn, async (req, res) => {
    const giveaway = await visible(giveawayIdParam(req.params.id), identityOf(res).userId);
    res.json({ photos: handoff.queries.photosOf(giveaway.id).map((photo) => photoJson(photo, giveaway.coverPhotoId)) });
  });

  router.get("/giveaways/:id/photos/:photoId", signedIn, async (req, res) => {
    const giveaway = await visible(giveawayIdParam(req.params.id), identityOf(res).userId);
    const notFound = new ApiError("attachment_not_found", "no such photo of this giveaway");
    const photoId = String(req.params.photoId);
    if (!isId(photoId)) throw notFound; // the one id format (domain/ids.ts)
    const photo = handoff.queries.photoById(giveaway.id, photoId);
    if (!photo) throw notFound;
    await sendPhoto(req, res, handoff.blobs, { ...photo, name: `photo-${photo.photoId.slice(0, 8)}`, immutable: true }, notFound);
  });

  return router;
}

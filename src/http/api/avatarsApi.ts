// A person's own photo: PUT /api/me/avatar (the raw bytes of one picture), DELETE /api/me/avatar (back
// to the platform's picture or initials), and GET /api/users/:id/avatar for whoever is signed in (a
// person's page and name are, too). The answer waits until the users read model shows the change.
import express from "express";
import type { Handoff } from "../../app/handoff.ts";
import type { ChangeAvatar } from "../../domain/avatars.ts";
import { isId } from "../../domain/ids.ts";
import { untilReadModelShows } from "../../projections/untilReadModelShows.ts";
import { identityOf, type EdgeContext } from "../authentication.ts";
import { limitGiveawayActions } from "../edge/rateLimits.ts";
import { ApiError } from "./apiErrors.ts";
import { refuseWhileStopped } from "./giveawayCommands.ts";
import { rawPhotoBody, refuseLargePhoto, sendPhoto, storePhoto } from "./photoUploads.ts";
import { commandContext, requireApiIdentity } from "./requestContext.ts";

export type AvatarServices = EdgeContext & Pick<Handoff, "avatars" | "queries" | "runner" | "blobs" | "limits" | "config" | "now">;

/** Where a person's own photo is served; `v` names the bytes, so a changed photo is a new URL. */
export function avatarUrl(userId: string, sha256: string): string {
  return `/api/users/${userId}/avatar?v=${sha256.slice(0, 16)}`;
}

export function avatarsApi(handoff: AvatarServices): express.Router {
  const router = express.Router();
  const signedIn = requireApiIdentity(handoff);
  const maxBytes = handoff.config.attachmentMaxBytes;

  /** Changes the photo and waits until the read model shows it (the next page shows it too). */
  const change = async (res: express.Response, command: ChangeAvatar, shows: () => boolean) => {
    refuseWhileStopped(handoff, ["users"]);
    const result = await handoff.avatars.change(command, commandContext(res));
    if (!result.ok) throw new ApiError(result.error.code, result.error.message);
    if (!(await untilReadModelShows(shows))) throw new ApiError("read_model_lagging", "the photo was saved but is not visible yet: read again in a moment");
  };

  router.put(
    "/me/avatar",
    signedIn,
    limitGiveawayActions(handoff),
    (req, _res, next) => {
      refuseLargePhoto(req, maxBytes);
      next();
    },
    rawPhotoBody(maxBytes),
    async (req, res) => {
      const userId = identityOf(res).userId;
      const stored = await storePhoto(req, handoff.blobs, maxBytes);
      await change(res, { type: "SetAvatar", userId, ...stored, now: handoff.now() }, () => handoff.queries.uploadedAvatarOf(userId)?.sha256 === stored.sha256);
      res.json({ userId, contentType: stored.contentType, size: stored.size, sha256: stored.sha256, url: avatarUrl(userId, stored.sha256) });
    },
  );

  router.delete("/me/avatar", signedIn, limitGiveawayActions(handoff), async (_req, res) => {
    const userId = identityOf(res).userId;
    await change(res, { type: "RemoveAvatar", userId, now: handoff.now() }, () => handoff.queries.uploadedAvatarOf(userId) === undefined);
    res.status(204).end();
  });

  router.get("/users/:userId/avatar", signedIn, async (req, res) => {
    const notFound = new ApiError("not_found", "this person has no photo of their own");
    const userId = String(req.params.userId);
    if (!isId(userId)) throw notFound;
    const avatar = handoff.queries.uploadedAvatarOf(userId);
    if (!avatar) throw notFound;
    // Kept for good only under the URL that names these bytes.
    const immutable = req.query.v === avatar.sha256.slice(0, 16);
    await sendPhoto(req, res, handoff.blobs, { ...avatar, name: `avatar-${userId.slice(0, 8)}`, immutable }, notFound);
  });

  return router;
}

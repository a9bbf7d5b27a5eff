// A giveaway's photos: the giver adds them any time before completion (or a cancellation), images
// only, at most a few; the first is the cover. Pure: the checked bytes' hash and type, the photo's id
// and the time come with the command.
import { decided, refused, type Decision } from "./decision.ts";
import type { GiveawayEvent } from "./events.ts";
import type { GiveawayState } from "./giveawayState.ts";
import { maxGiveawayPhotos, type GiveawayPhotoAdded } from "./giveawayPhotosEvents.ts";

export interface AddGiveawayPhoto {
  readonly type: "AddGiveawayPhoto";
  readonly photoId: string;
  readonly by: string;
  readonly sha256: string;
  /** What the bytes are (checked on the bytes at the edge). */
  readonly contentType: string;
  readonly size: number;
  readonly now: Date;
}

/** The types a photo may be: what a page shows as a picture. */
export const photoContentTypes: readonly string[] = ["image/png", "image/jpeg", "image/webp", "image/gif"];

export function evolvePhoto(state: GiveawayState, added: GiveawayPhotoAdded): GiveawayState {
  if (state.status === "none" || state.photos?.some((photo) => photo.photoId === added.photoId)) return state;
  return { ...state, photos: [...(state.photos ?? []), { photoId: added.photoId, sha256: added.sha256 }] };
}

export function decidePhoto(command: AddGiveawayPhoto, state: GiveawayState): Decision<GiveawayEvent> {
  if (state.status === "none") return refused("giveaway_not_found", "no such giveaway");
  if (command.by !== state.giverId) return refused("not_giver", "only the giver adds photos of the item");
  const cancelled = state.status === "open" ? state.cancelledAt !== undefined : state.pickup.phase === "cancelled";
  if (cancelled) return refused("giveaway_cancelled", "this giveaway was cancelled");
  if (state.status === "drawn" && state.pickup.phase === "completed") return refused("giveaway_completed", "the item was handed over: its photos stay as they are");
  if (!photoContentTypes.includes(command.contentType)) return refused("invalid_attachment", "a photo is a PNG, JPEG, WebP or GIF image");
  const photos = state.photos ?? [];
  const sameId = photos.find((photo) => photo.photoId === command.photoId);
  if (sameId) return sameId.sha256 === command.sha256 ? decided([]) : refused("invalid_attachment", "another photo already has this id");
  // The same picture again (a retried upload) is already there.
  if (photos.some((photo) => photo.sha256 === command.sha256)) return decided([]);
  if (photos.length >= maxGiveawayPhotos) return refused("invalid_attachment", `a giveaway has at most ${maxGiveawayPhotos} photos`);
  const { photoId, by, sha256, contentType, size, now } = command;
  return decided([{ type: "GiveawayPhotoAdded", data: { photoId, addedBy: by, sha256, contentType, size, addedAt: now.toISOString() } }]);
}

// The item in view: a giveaway's cover (its first photo) and its photos as the pages show them, served
// by the API (GET /api/giveaways/:id/photos/:photoId) under the one rule for who may see a giveaway.
import { giveawayPhotoUrl } from "../api/giveawayPhotosApi.ts";

export interface Picture {
  src: string;
  alt: string;
}

/** The cover, or null: the pages then show a placeholder with the title's first letter. */
export function coverOf(giveaway: { id: string; title: string; coverPhotoId: string | null }): Picture | null {
  return giveaway.coverPhotoId ? { src: giveawayPhotoUrl(giveaway.id, giveaway.coverPhotoId), alt: giveaway.title } : null;
}

export function photosOf(queries: { photosOf(giveawayId: string): { photoId: string }[] }, giveaway: { id: string; title: string }): Picture[] {
  return queries.photosOf(giveaway.id).map((photo, index) => ({ src: giveawayPhotoUrl(giveaway.id, photo.photoId), alt: `${giveaway.title}, photo ${index + 1}` }));
}

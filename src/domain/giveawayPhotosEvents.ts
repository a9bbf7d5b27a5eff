// A giveaway's photos (issue #27), in the giveaway's stream (events.ts registers them). The bytes live
// in the blob store under their SHA-256, like an attachment's; the chain covers this reference. The
// first photo is the cover. Schemas only grow.
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();

/** At most this many photos a giveaway. */
export const maxGiveawayPhotos = 8;

export const GiveawayPhotoAddedSchema = z.object({
  photoId: id,
  addedBy: id,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  contentType: z.string().min(1).max(100),
  size: z.int().min(1),
  addedAt: instant,
});

export type GiveawayPhotoAdded = z.output<typeof GiveawayPhotoAddedSchema>;

export const giveawayPhotoEvents = eventFamily("giveaway photo", {
  GiveawayPhotoAdded: GiveawayPhotoAddedSchema,
});

export type GiveawayPhotoEvent = EventsOf<typeof giveawayPhotoEvents.schemas>;

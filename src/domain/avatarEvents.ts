// A person's own photo (issue #27), in their user stream (events.ts registers them). The bytes live in
// the blob store under their SHA-256; without one, pages show the platform's picture or initials.
// Schemas only grow.
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();

export const AvatarChangedSchema = z.object({
  userId: id,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  contentType: z.string().min(1).max(100),
  size: z.int().min(1),
  changedAt: instant,
});

/** Back to the platform's picture or initials. */
export const AvatarRemovedSchema = z.object({
  userId: id,
  removedAt: instant,
});

export type AvatarChanged = z.output<typeof AvatarChangedSchema>;
export type AvatarRemoved = z.output<typeof AvatarRemovedSchema>;

export const avatarEvents = eventFamily("avatar", {
  AvatarChanged: AvatarChangedSchema,
  AvatarRemoved: AvatarRemovedSchema,
});

export type AvatarEvent = EventsOf<typeof avatarEvents.schemas>;

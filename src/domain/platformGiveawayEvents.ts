// Facts only the platform's backend brings about, in the giveaway's stream (events.ts registers
// them): its edits of a giveaway's details and its withdrawn entries. Schemas only grow.
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();

/** Only the fields that changed; the others stand as they were. */
export const GiveawayDetailsChangedSchema = z.object({
  title: z.string().trim().min(1).max(120).optional(),
  description: z.string().trim().max(2000).optional(),
  giverId: id.optional(),
  changedAt: instant,
});

/** An entrant left before the draw: they no longer take part in it. */
export const EntryWithdrawnSchema = z.object({
  userId: id,
  withdrawnAt: instant,
});

export type GiveawayDetailsChanged = z.output<typeof GiveawayDetailsChangedSchema>;
export type EntryWithdrawn = z.output<typeof EntryWithdrawnSchema>;

export const platformGiveawayEvents = eventFamily("platform giveaway", {
  GiveawayDetailsChanged: GiveawayDetailsChangedSchema,
  EntryWithdrawn: EntryWithdrawnSchema,
});

export type PlatformGiveawayEvent = EventsOf<typeof platformGiveawayEvents.schemas>;

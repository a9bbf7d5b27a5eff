// Blocks, in the blocker's own stream user-<userId> (events.ts registers them with the user events).
// Schemas only grow.
import { z } from "zod";
import { StoredIdSchema } from "./ids.ts";
import { eventFamily, type EventsOf } from "./eventCatalogue.ts";

const id = StoredIdSchema;
const instant = z.iso.datetime();

/** `userId` blocked `blockedUserId`: they can no longer send to `userId`, nor enter their giveaways. */
export const UserBlockedSchema = z.object({ userId: id, blockedUserId: id, blockedAt: instant });

/** The block is lifted. */
export const UserUnblockedSchema = z.object({ userId: id, blockedUserId: id, unblockedAt: instant });

export type UserBlocked = z.output<typeof UserBlockedSchema>;
export type UserUnblocked = z.output<typeof UserUnblockedSchema>;

export const blockEvents = eventFamily("block", {
  UserBlocked: UserBlockedSchema,
  UserUnblocked: UserUnblockedSchema,
});

export type BlockEvent = EventsOf<typeof blockEvents.schemas>;

// What every giveaway event records about how it came to be: who, which request, and its chain hash.
import { z } from "zod";

export const EventMetadataSchema = z.object({
  actorId: z.string(),
  correlationId: z.string(),
  causationId: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});

export type EventMetadata = z.infer<typeof EventMetadataSchema>;

/** Who asked, and which request (or event) the new events answer. */
export interface CommandContext {
  actorId: string;
  correlationId: string;
  causationId: string;
}

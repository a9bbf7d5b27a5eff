// Every command a page issues records who asked and which request it answers.
import { randomUUID } from "node:crypto";
import type { CommandContext } from "../../domain/eventMetadata.ts";
import type { RequestIdentity } from "../authentication.ts";

export function pageCommandContext(identity: RequestIdentity): CommandContext {
  const requestId = randomUUID();
  return { actorId: identity.userId, correlationId: requestId, causationId: requestId };
}

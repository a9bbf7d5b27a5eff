// Read ahead of a participant's audit: the messages of a giveaway whose content was removed since
// (auditRedaction.ts says which events do that), as the stream stands now, so that a replay of an
// earlier moment withholds them too. StreamNotFoundError when there is no such giveaway.
import { parseGiveawayEvent } from "../domain/events.ts";
import { giveawayStream } from "../domain/streams.ts";
import type { EventStore } from "../eventstore/port.ts";
import { fateOf, removesContent, type MessageFate } from "./auditRedaction.ts";
import { readStreamPages } from "./storePages.ts";

export async function messageFates(store: EventStore, giveawayId: string): Promise<Map<string, MessageFate>> {
  const fates = new Map<string, MessageFate>();
  for await (const recorded of readStreamPages(store, giveawayStream(giveawayId))) {
    if (!removesContent(recorded.type)) continue;
    let found;
    try {
      found = fateOf(parseGiveawayEvent(recorded.type, recorded.data));
    } catch {
      continue; // unreadable: the audit shows it as such
    }
    if (found && !fates.has(found.messageId)) fates.set(found.messageId, found.fate);
  }
  return fates;
}

// The conversation of one giveaway as it stood at a revision or a time, rebuilt from its stream alone.
import { giveawayStream } from "../domain/streams.ts";
import type { EventStore, RecordedEvent } from "../eventstore/port.ts";
import type { MessageView } from "../projections/conversationProjection.ts";
import { toAuditLine, userIdsOf, type AuditLine } from "./auditLine.ts";
import { messageReplay } from "./messageReplay.ts";
import { readStreamPages } from "./storePages.ts";
import { cutAt, type Until } from "./until.ts";
import type { UserNameLookup } from "./userNames.ts";

/** The stream's events up to the cut, read page by page. StreamNotFoundError when there is no such giveaway. */
export function giveawayEventsUntil(store: EventStore, giveawayId: string, until: Until | undefined): AsyncGenerator<RecordedEvent> {
  return cutAt(readStreamPages(store, giveawayStream(giveawayId)), until);
}

export interface ConversationAt {
  giveawayId: string;
  lines: AuditLine[];
  /** Only the messages, exactly as the conversation read model showed them at that point. */
  messages: MessageView[];
  /** Username by user id, for everyone the lines name ("?" when unknown). */
  names: ReadonlyMap<string, string>;
  /** Revision of the last event shown; -1 when nothing had happened yet. */
  revision: number;
  /** Lines left out before the first one kept (only with a window). */
  earlierLines: number;
}

/** `window`: keep only the last so many lines, so a long conversation never sits in memory whole. */
export async function replayConversation(
  store: EventStore,
  giveawayId: string,
  until: Until | undefined,
  nameOf: UserNameLookup,
  window = Number.POSITIVE_INFINITY,
): Promise<ConversationAt> {
  let lines: AuditLine[] = [];
  let earlierLines = 0;
  for await (const event of giveawayEventsUntil(store, giveawayId, until)) {
    lines.push(toAuditLine(event));
    // Trimmed in steps, so keeping the window costs no more than a copy per `window` lines.
    if (lines.length >= 2 * window) {
      earlierLines += lines.length - window;
      lines = lines.slice(-window);
    }
  }
  if (lines.length > window) {
    earlierLines += lines.length - window;
    lines = lines.slice(-window);
  }
  const names = new Map<string, string>();
  for (const userId of new Set(lines.flatMap(userIdsOf))) names.set(userId, (await nameOf(userId)) ?? "?");
  const fold = messageReplay(giveawayId, (id) => names.get(id));
  for (const line of lines) fold.apply(line);
  const messages = fold.messages();
  return { giveawayId, lines, messages, names, revision: lines.length === 0 ? -1 : lines[lines.length - 1]!.revision, earlierLines };
}

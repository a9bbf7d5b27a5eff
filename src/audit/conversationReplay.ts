// The conversation of one giveaway as it stood at a revision or a time, rebuilt from its stream alone
// (read through auditedStream.ts, so a viewer gets only what the participant rule gives them).
import type { EventStore } from "../eventstore/port.ts";
import type { MessageView } from "../projections/conversationProjection.ts";
import { userIdsOf, type AuditLine } from "./auditLine.ts";
import { auditedEventsUntil, type AuditedEvent, type AuditViewer } from "./auditedStream.ts";
import { messageReplay } from "./messageReplay.ts";
import type { Until } from "./until.ts";
import type { UserNameLookup } from "./userNames.ts";

/** A replayed line, with its winner's round and, where they changed, the conversation's readers. */
export type AuditedLine = AuditLine & Pick<AuditedEvent, "round" | "readers">;

export interface ConversationAt {
  giveawayId: string;
  /** Only what the participant rule gives the viewer. */
  lines: AuditedLine[];
  /** Only the messages, exactly as the conversation read model showed them at that point. */
  messages: MessageView[];
  /** Username by user id, for everyone the lines name ("?" when unknown). */
  names: ReadonlyMap<string, string>;
  /** Revision of the last event up to the cut (shown or not); -1 when nothing had happened yet. */
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
  viewer: AuditViewer,
  window = Number.POSITIVE_INFINITY,
): Promise<ConversationAt> {
  let lines: AuditedLine[] = [];
  let earlierLines = 0;
  const read = { revision: -1 };
  for await (const { line, round, readers } of auditedEventsUntil(store, giveawayId, until, viewer, read)) {
    lines.push({ ...line, round, readers });
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
  const readerIds = lines.flatMap((line) => line.readers?.readers.flatMap((reader) => reader.userId ?? []) ?? []);
  for (const userId of new Set([...lines.flatMap(userIdsOf), ...readerIds])) names.set(userId, (await nameOf(userId)) ?? "?");
  const fold = messageReplay(giveawayId, (id) => names.get(id));
  for (const line of lines) fold.apply(line);
  const messages = fold.messages();
  return { giveawayId, lines, messages, names, revision: read.revision, earlierLines };
}

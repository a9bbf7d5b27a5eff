// Filing a report: a participant (the giver, the winner, or a former winner for their own round)
// reports the other person, for one of their messages or for the conversation. Pure: the report's
// id, the time and the stream's current revision come with the call.
import { conversationAccess } from "./conversationAccess.ts";
import { conversationFactsOf } from "./conversationReaders.ts";
import { decided, refused, type Decision } from "./decision.ts";
import type { GiveawayEvent } from "./events.ts";
import type { GiveawayState } from "./giveaway.ts";
import { mayReadRevision } from "./pickupAccess.ts";
import { reportNoteMaxLength, type ReportReason } from "./reportsEvents.ts";

export interface FileReport {
  readonly type: "FileReport";
  readonly reportId: string;
  readonly reporterId: string;
  readonly reason: ReportReason;
  readonly note?: string | undefined;
  /** The message reported; absent: the conversation as a whole. */
  readonly messageId?: string | undefined;
  readonly now: Date;
}

/** `streamRevision`: the giveaway stream's newest revision as decided against (recorded as atRevision). */
export function decideReport(command: FileReport, state: GiveawayState, streamRevision: number): Decision<GiveawayEvent> {
  const { reportId, reporterId, reason, messageId, now } = command;
  // Reading is enough: a replaced winner or a closed conversation can still be reported.
  const access = conversationAccess(conversationFactsOf(state, reporterId), reporterId, now);
  if (!access.ok) return refused(access.code, access.message);
  if (state.status !== "drawn") return refused("giveaway_not_found", "no such giveaway");
  const note = command.note?.trim() ?? "";
  if (note.length > reportNoteMaxLength) return refused("invalid_note", `a note is at most ${reportNoteMaxLength} characters`);

  let reportedUserId = access.otherId;
  if (messageId !== undefined) {
    const message = state.messages.get(messageId);
    // A message of another round is no more the reporter's to see than one that does not exist.
    if (!message || !mayReadRevision(access, message.revision)) return refused("message_not_found", "no such message in this conversation");
    if (message.senderId === null) return refused("not_reportable", "a notice from the platform cannot be reported");
    if (message.senderId === reporterId) return refused("not_reportable", "only the other person's messages can be reported");
    reportedUserId = message.senderId;
  }
  const data = {
    reportId,
    reporterId,
    reportedUserId,
    reason,
    ...(note && { note }),
    ...(messageId !== undefined && { messageId }),
    atRevision: Math.max(0, streamRevision),
    filedAt: now.toISOString(),
  };
  return decided([{ type: "ReportFiled", data }]);
}

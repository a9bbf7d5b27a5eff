// A replayed line as the audit page prints it: a message's text, or what the event did (pure).
import type { AuditLine } from "../../audit/auditLine.ts";
import { describeReaders } from "../../audit/auditedStream.ts";
import { someoneElse, type MessageFate } from "../../audit/auditRedaction.ts";
import type { AuditedLine } from "../../audit/conversationReplay.ts";
import { describePickup } from "../../audit/pickupAudit.ts";
import { assertNever } from "../../domain/errors.ts";

export interface AuditLineView {
  revision: number;
  eventId: string;
  recordedAt: string;
  who: string;
  /** The message text, for MessageSent and SystemMessagePosted; the event type and what it did, for the rest. */
  message: string | undefined;
  type: string;
  what: string;
}

/** Why a message's text is not shown to this reader (auditRedaction.ts decides that it is not). */
function since(fate: MessageFate): string {
  return fate.event === "MessageHidden" ? "hidden by a moderator since" : "removed since";
}

export function viewOfLine(line: AuditLine, names: ReadonlyMap<string, string>): AuditLineView {
  // undefined: an actor the line does not name (withheld from this reader, or nobody's).
  const nameOf = (id: string | null | undefined) => (id === undefined || id === null ? someoneElse : (names.get(id) ?? "?"));
  const view = (type: string, what: string, message?: string): AuditLineView => ({
    revision: line.revision,
    eventId: line.eventId,
    recordedAt: line.recordedAt,
    who: nameOf(line.whoId),
    message,
    type,
    what,
  });
  const { detail } = line;
  switch (detail.type) {
    case "GiveawayCreated":
      return view(detail.type, `created the giveaway “${detail.title}”`);
    case "EntrySubmitted":
      return view(detail.type, "entered");
    case "DrawConducted":
      return view(detail.type, `drew the winner: ${nameOf(detail.winnerId)}`);
    case "MessageSent":
      if (detail.withheld) return view(detail.type, `sent a message, ${since(detail.withheld)}`);
      return view(detail.type, "", detail.content ?? "");
    case "ConversationRead":
      return view(detail.type, `read up to revision ${detail.upToRevision}`);
    case "SystemMessagePosted":
      return { ...view(detail.type, "", detail.content), who: "system message" };
    case "Pickup":
      return view(detail.event.type, describePickup(detail.event, (id) => nameOf(id)));
    case "ReactionAdded":
      return view(detail.type, `reacted ${detail.emoji} to message ${detail.messageId}`);
    case "ReactionRemoved":
      return view(detail.type, `took back ${detail.emoji} on message ${detail.messageId}`);
    case "MessageEdited":
      if (detail.withheld) return view(detail.type, `edited message ${detail.messageId}, ${since(detail.withheld)}`);
      return view(detail.type, `edited message ${detail.messageId} to:`, detail.content ?? "");
    case "MessageRetracted":
      return view(detail.type, `removed message ${detail.messageId}`);
    case "AttachmentUploaded":
      return view(detail.type, `uploaded ${detail.contentType}, ${detail.size} bytes, sha256 ${detail.sha256}`);
    case "ConversationMuted":
      return view(detail.type, "muted the conversation");
    case "ConversationUnmuted":
      return view(detail.type, "unmuted the conversation");
    case "GiveawayDetailsChanged": {
      return view(detail.type, `changed ${detailsChanged(detail, nameOf).join(", ")}`);
    }
    case "EntryWithdrawn":
      return view(detail.type, "withdrew their entry");
    case "ReportFiled":
      return view(detail.type, `reported ${nameOf(detail.reportedUserId)}${detail.messageId ? ` for message ${detail.messageId}` : ""} (${detail.reason}), report ${detail.reportId}`);
    case "ReportDismissed":
      return view(detail.type, `moderator: dismissed report ${detail.reportId} (${detail.reason})`);
    case "MessageHidden":
      return view(detail.type, `moderator: hid message ${detail.messageId} (${detail.reason})`);
    case "ConversationViewedByModerator":
      return view(detail.type, `moderator: looked at the conversation for report ${detail.reportId}`);
    case "HandoverRated":
      return view(detail.type, `rated ${nameOf(detail.rateeId)} ${detail.stars} of 5 stars${detail.comment ? ":" : ""}`, detail.comment);
    case "GiveawayPhotoAdded":
      return view(detail.type, `added a photo of the item, ${detail.contentType}, ${detail.size} bytes, sha256 ${detail.sha256}`);
    case "Unreadable":
      return view(detail.storedType, `unreadable stored event: ${detail.problem}`);
    default:
      return assertNever(detail);
  }
}

/** A line with its winner's round ("round 2 · carl") and, where they changed, who could read from it on. */
export type AuditedLineView = AuditLineView & { round: string | undefined; readers: string | undefined };

export function auditedLineView(line: AuditedLine, names: ReadonlyMap<string, string>): AuditedLineView {
  const nameOf = (id: string | null) => (id === null ? someoneElse : (names.get(id) ?? "?"));
  return {
    ...viewOfLine(line, names),
    round: line.round && `round ${line.round.number} · ${nameOf(line.round.winnerId)}`,
    readers: line.readers && `from revision ${line.readers.fromRevision}: ${describeReaders(line.readers.readers, nameOf)}`,
  };
}

/** What a change of a giveaway's details changed, in words (the technical view and the plain words alike). */
export function detailsChanged(detail: { title?: string; description?: string; giverId?: string }, nameOf: (id: string) => string): string[] {
  return [
    detail.title !== undefined && `the title to “${detail.title}”`,
    detail.description !== undefined && "the description",
    detail.giverId !== undefined && `the giver to ${nameOf(detail.giverId)}`,
  ].filter((change): change is string => typeof change === "string");
}

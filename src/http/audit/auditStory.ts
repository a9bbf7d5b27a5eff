// The audit's lines in a person's words ("ann sent a message", "bob proposed a pickup … at the
// station", "ann removed a message"), told from the very lines the technical view shows, so the
// participant rule and the redaction apply to both alike (pure).
import { describeReaders } from "../../audit/auditedStream.ts";
import { someoneElse } from "../../audit/auditRedaction.ts";
import type { AuditedLine } from "../../audit/conversationReplay.ts";
import type { ShownPickupEvent } from "../../audit/pickupAudit.ts";
import { assertNever } from "../../domain/errors.ts";
import { detailsChanged } from "./auditLineView.ts";

/** A time as the page writes it (pages/readableTime.ts) before public/times.js rewrites it in the browser. */
export interface StoryTime {
  iso: string;
  text: string;
}

export interface StoryLine {
  /** Who acted ("someone else" when withheld from the reader), or undefined when the sentence names nobody first. */
  actor: string | undefined;
  /** What they did, after their name (or the whole sentence when there is no actor). */
  did: string;
  /** The text of a message this line changes or removes, as it was, when the reader may read it. */
  before: { label: "Before" | "It said"; text: string } | undefined;
  /** Said plainly under the sentence: why a message's text is missing. */
  note: string | undefined;
  /** A proposed pickup's window and place. */
  pickup: { from: StoryTime; to: StoryTime; place: string; note: string } | undefined;
  /** Who could read from here on, in words, where that changed. */
  readers: string | undefined;
  /** Bookkeeping a person does not need to follow the story (read marks, uploads, muting): technical view only. */
  minor: boolean;
}

type Clock = (iso: string) => string;

/** A pickup window's ends: the end only as a clock when it falls on the start's day ("Sat 6 Dec, 10:00 – 11:00 UTC"). */
function windowTimes(from: string, to: string, timeText: Clock): { from: StoryTime; to: StoryTime } {
  const [fromText, toText] = [timeText(from), timeText(to)];
  const dayOf = (text: string) => text.replace(/,? ?\d\d:\d\d( UTC)?$/, "");
  const sameDay = dayOf(fromText) === dayOf(toText);
  return { from: { iso: from, text: fromText }, to: { iso: to, text: sameDay ? toText.slice(dayOf(toText).length).replace(/^,? /, "") : toText } };
}

const was = (label: "Before" | "It said", text: string | undefined) => (text === undefined ? undefined : { label, text });

/** A message's words, short enough to stand in a sentence. */
function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 59)}…` : oneLine;
}

function attachmentWords(contentTypes: string[]): string {
  if (contentTypes.length === 0) return "";
  if (contentTypes.length > 1) return ` with ${contentTypes.length} attachments`;
  const [type = ""] = contentTypes;
  if (type.startsWith("image/")) return " with a photo";
  if (type.startsWith("audio/")) return " with a voice note";
  if (type === "application/pdf") return " with a PDF";
  return " with a file";
}

const redrawReasons = { declined: "declined the prize", no_show: "did not answer in time", platform: "was replaced by the platform" } as const;

type Told = Pick<StoryLine, "actor" | "did"> & Partial<Omit<StoryLine, "actor" | "did">>;

function pickupStory(event: ShownPickupEvent, actor: string, nameOf: (id: string | null) => string, timeText: Clock): Told {
  switch (event.type) {
    case "PickupProposed": {
      const { from, to, place, note } = event.data;
      return { actor, did: "proposed a pickup", pickup: { ...windowTimes(from, to, timeText), place, note } };
    }
    case "PickupProposalAccepted":
      return { actor, did: "accepted the pickup: the plan is agreed" };
    case "PickupProposalDeclined":
      return { actor, did: "declined the proposed pickup" };
    case "PickupReminderSent":
      return { actor: undefined, did: "Both were reminded of the pickup" };
    case "HandoverConfirmed":
      return { actor, did: event.data.side === "handed_over" ? "handed the item over" : "received the item" };
    case "GiveawayCompleted":
      return { actor: undefined, did: "The handover is complete" };
    case "PrizeDeclined":
      return { actor, did: "declined the prize" };
    case "WinnerRedrawn": {
      const { winnerId, previousWinnerId, reason } = event.data;
      return { actor: undefined, did: `The giver chose another winner: ${nameOf(winnerId)} (${nameOf(previousWinnerId)} ${redrawReasons[reason]})` };
    }
    case "GiveawayCancelled":
      return { actor, did: `cancelled the giveaway${event.data.reason ? `: “${event.data.reason}”` : ""}` };
    default:
      return assertNever(event);
  }
}

/**
 * Tells each line in order. What a line changes (an edit, a removal, a reaction) is told with the
 * message's earlier text, taken from the lines before it as this reader was shown them.
 */
export function storyOf(lines: readonly AuditedLine[], names: ReadonlyMap<string, string>, timeText: Clock): StoryLine[] {
  const nameOf = (id: string | null | undefined) => (id === undefined || id === null ? someoneElse : (names.get(id) ?? "?"));
  const texts = new Map<string, string>();
  const uploads = new Map<string, string>();

  const tell = (line: AuditedLine): Told => {
    const actor = nameOf(line.whoId);
    const { detail } = line;
    switch (detail.type) {
      case "GiveawayCreated":
        return { actor, did: `gave away “${detail.title}”` };
      case "EntrySubmitted":
        return { actor, did: "entered the giveaway" };
      case "EntryWithdrawn":
        return { actor, did: "withdrew from the giveaway" };
      case "DrawConducted":
        return { actor, did: `drew ${nameOf(detail.winnerId)} as the winner` };
      case "MessageSent": {
        const with_ = attachmentWords((detail.attachmentIds ?? []).map((id) => uploads.get(id) ?? ""));
        if (detail.withheld) {
          const how = detail.withheld.event === "MessageHidden" ? "hidden by a moderator" : "removed";
          return { actor, did: "sent a message", note: `This message was ${how} later, so its text is not shown.` };
        }
        if (detail.content !== null) texts.set(detail.messageId, detail.content);
        return { actor, did: `sent a message${with_}` };
      }
      case "SystemMessagePosted":
        texts.set(detail.messageId, detail.content);
        return { actor: undefined, did: "A message from the platform" };
      case "MessageEdited": {
        const before = texts.get(detail.messageId);
        if (detail.content !== null) texts.set(detail.messageId, detail.content);
        if (detail.withheld) return { actor, did: "edited a message", note: "The message was removed later, so its text is not shown." };
        return { actor, did: "edited a message", before: was("Before", before) };
      }
      case "MessageRetracted":
        return { actor, did: "removed a message", before: was("It said", texts.get(detail.messageId)) };
      case "ReactionAdded":
      case "ReactionRemoved": {
        const text = texts.get(detail.messageId);
        const on = text ? ` “${excerpt(text)}”` : " a message";
        return { actor, did: detail.type === "ReactionAdded" ? `reacted ${detail.emoji} to${on}` : `took back ${detail.emoji} on${on}` };
      }
      case "HandoverRated":
        return { actor, did: `rated ${nameOf(detail.rateeId)} ${detail.stars} of 5 stars` };
      case "GiveawayPhotoAdded":
        return { actor, did: "added a photo of the item" };
      case "GiveawayDetailsChanged": {
        return { actor, did: `changed ${detailsChanged(detail, nameOf).join(" and ")}` };
      }
      case "Pickup":
        return pickupStory(detail.event, actor, nameOf, timeText);
      case "ReportFiled":
        return { actor, did: `reported ${nameOf(detail.reportedUserId)} (${detail.reason})${detail.messageId ? " for a message" : ""}` };
      case "ReportDismissed":
        return { actor, did: `(moderator) dismissed a report: “${detail.reason}”` };
      case "MessageHidden":
        return { actor, did: `(moderator) hid a message: “${detail.reason}”`, before: was("It said", texts.get(detail.messageId)) };
      case "ConversationViewedByModerator":
        return { actor, did: "(moderator) read the conversation to look into a report" };
      case "ConversationRead":
        return { actor, did: "read the conversation", minor: true };
      case "AttachmentUploaded":
        uploads.set(detail.attachmentId, detail.contentType);
        return { actor, did: "uploaded a file", minor: true };
      case "ConversationMuted":
        return { actor, did: "muted the conversation", minor: true };
      case "ConversationUnmuted":
        return { actor, did: "unmuted the conversation", minor: true };
      case "Unreadable":
        return { actor: undefined, did: "Something stored here could not be read (the technical view says what)" };
      default:
        return assertNever(detail);
    }
  };

  return lines.map((line) => {
    const told = tell(line);
    const readers = line.readers && `From here on: ${describeReaders(line.readers.readers, nameOf)}.`;
    // "someone else" opens a sentence with a capital, a username stays as its owner wrote it.
    const actor = told.actor === someoneElse ? "Someone else" : told.actor;
    return { before: undefined, note: undefined, pickup: undefined, minor: false, ...told, actor, readers };
  });
}

// One message as the chat page draws it: the quote it replies to, its files, its reactions (counts
// and the reader's own), and until when its sender may still edit or remove it.
import type { Clock, Configured, Reads } from "../../app/services.ts";
import { reactionEmoji } from "../../domain/conversationEvents.ts";
import type { AttachmentRef, MessageView } from "../../projections/conversationProjection.ts";
import { scamWarningFor } from "../../app/scamWarnings.ts";
import type { ScamWarning } from "../../domain/scamPatterns.ts";

export interface MessageCard {
  message: MessageView;
  giveawayId: string;
  mine: boolean;
  removed: boolean;
  /** What a removed message says instead: "message removed", or "removed by a moderator". */
  removedText: string;
  /** A notice the platform posted (no sender): shown apart, without reply, edit, remove or reactions. */
  system: boolean;
  quote: { revision: number; senderName: string; text: string } | undefined;
  reactions: { emoji: string; count: number; mine: boolean }[];
  /** Every emoji one may react with, and whether the reader has. */
  palette: { emoji: string; mine: boolean }[];
  files: { url: string; kind: "image" | "audio" | "file"; label: string }[];
  /** The recipient's scam warning for it (scamWarnings.ts); null for the sender, always. */
  warning: ScamWarning | null;
  /** Set for the reader's own message while it may still be edited or removed (ISO). */
  editableUntil: string | undefined;
  /** The reader may still write here: reply, react, edit. A former winner or a closed conversation only reads. */
  writable: boolean;
}

const kindOf = (contentType: string): "image" | "audio" | "file" => (contentType.startsWith("image/") ? "image" : contentType.startsWith("audio/") ? "audio" : "file");

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function fileOf(giveawayId: string, attachment: AttachmentRef): MessageCard["files"][number] {
  const kind = kindOf(attachment.contentType);
  const type = attachment.contentType.split("/")[1]?.toUpperCase() ?? "file";
  const label = kind === "image" ? "Photo" : kind === "audio" ? "Voice note" : `${type} file, ${sizeText(attachment.size)}`;
  return { url: `/api/giveaways/${giveawayId}/attachments/${attachment.id}`, kind, label };
}

/** Who a message is from, as its reader sees it. */
export function senderLabel(message: MessageView, viewerId: string): string {
  if (message.kind === "system") return "Notice";
  return message.senderId === viewerId ? "You" : (message.senderName ?? "?");
}

export type MessageCardServices = Reads & Clock & Configured;

/** `writable`: whether the reader may still send here (the chat's composerClosed; true where the caller knows no better). */
export function messageCard(handoff: MessageCardServices, 
message: MessageView, viewerId: string, writable = true): MessageCard {
  const giveawayId = message.giveawayId;
  const mine = message.senderId === viewerId;
  // Taken back by its sender, or hidden by a moderator: either way no text, files or reactions.
  const removed = message.retractedAt !== null || message.hiddenByModerator;
  const quoted = message.replyTo === null || removed ? undefined : handoff.queries.messageById(giveawayId, message.replyTo);
  const quote = quoted && {
    revision: quoted.revision,
    senderName: senderLabel(quoted, viewerId),
    text: quoted.content === null ? "removed by a moderator" : quoted.retractedAt !== null ? "message removed" : quoted.content.slice(0, 140),
  };
  const reactions = removed
    ? []
    : reactionEmoji.flatMap((emoji) => {
        const users = message.reactions[emoji] ?? [];
        return users.length === 0 ? [] : [{ emoji, count: users.length, mine: users.includes(viewerId) }];
      });
  const palette = reactionEmoji.map((emoji) => ({ emoji, mine: (message.reactions[emoji] ?? []).includes(viewerId) }));
  const until = Date.parse(message.sentAt) + handoff.config.editWindowMs;
  const editableUntil = writable && mine && !removed && until > handoff.now().getTime() ? new Date(until).toISOString() : undefined;
  const files = removed ? [] : message.attachments.map((attachment) => fileOf(giveawayId, attachment));
  const removedText = message.hiddenByModerator ? "removed by a moderator" : "message removed";
  const warning = removed ? null : (scamWarningFor(handoff.config.scamPatterns, message, viewerId) ?? null);
  return { message, giveawayId, mine, system: message.kind === "system", removed, removedText, quote, reactions, palette, files, warning, editableUntil, writable };
}

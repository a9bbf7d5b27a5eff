// The messages of a replayed conversation, folded line by line exactly as the conversation read
// model folds them (edits, retraction, reactions, attachments), so replay equals what it showed.
import { reactionSummary, type AttachmentRef, type MessageView } from "../projections/conversationProjection.ts";
import { messageOf, type AuditLine } from "./auditLine.ts";

export interface MessageReplay {
  /** Applies one line; answers the message's new version when the line sent, edited or removed one. */
  apply(line: AuditLine): MessageView | undefined;
  /** Every message as it stands, oldest first. */
  messages(): MessageView[];
}

export function messageReplay(giveawayId: string, nameOf: (userId: string) => string | undefined): MessageReplay {
  const messages = new Map<string, MessageView>();
  const attachments = new Map<string, AttachmentRef>();
  const reactions = new Map<string, { emoji: string; userId: string }[]>();

  const update = (messageId: string, change: (message: MessageView) => MessageView) => {
    const message = messages.get(messageId);
    if (!message) return undefined;
    const changed = change(message);
    // Nothing new (an edit of a message already removed, as a reader the content is withheld from sees it).
    if (changed === message) return undefined;
    messages.set(messageId, changed);
    return changed;
  };

  return {
    apply(line) {
      const { detail } = line;
      switch (detail.type) {
        case "MessageSent":
        case "SystemMessagePosted": {
          if (messages.has(detail.messageId)) return undefined;
          const message = messageOf(line, giveawayId, nameOf)!;
          if (detail.type === "MessageSent") message.attachments = (detail.attachmentIds ?? []).flatMap((id) => attachments.get(id) ?? []);
          messages.set(message.id, message);
          return message;
        }
        case "AttachmentUploaded": {
          const { attachmentId, contentType, size, sha256 } = detail;
          if (!attachments.has(attachmentId)) attachments.set(attachmentId, { id: attachmentId, contentType, size, sha256 });
          return undefined;
        }
        case "ReactionAdded":
        case "ReactionRemoved": {
          const userId = line.whoId ?? "";
          const before = reactions.get(detail.messageId) ?? [];
          const same = (r: { emoji: string; userId: string }) => r.userId === userId && r.emoji === detail.emoji;
          // Like the read model's table: a reaction keeps its place; a new one goes last.
          const standing = detail.type === "ReactionAdded" ? (before.some(same) ? before : [...before, { emoji: detail.emoji, userId }]) : before.filter((r) => !same(r));
          reactions.set(detail.messageId, standing);
          update(detail.messageId, (message) => ({ ...message, reactions: reactionSummary(standing) }));
          return undefined;
        }
        case "MessageEdited":
          return update(detail.messageId, (message) =>
            message.retractedAt !== null || message.hiddenByModerator ? message : { ...message, content: detail.content, editedAt: detail.editedAt },
          );
        case "MessageRetracted":
          return update(detail.messageId, (message) =>
            message.retractedAt !== null ? message : { ...message, content: message.hiddenByModerator ? null : "", attachments: [], retractedAt: detail.retractedAt },
          );
        case "MessageHidden":
          // As the read model shows it: the text is the audit line's (MessageSent), not the message's.
          return update(detail.messageId, (message) => (message.hiddenByModerator ? message : { ...message, content: null, attachments: [], hiddenByModerator: true }));
        default:
          return undefined;
      }
    },
    messages: () => [...messages.values()].sort((a, b) => a.revision - b.revision),
  };
}

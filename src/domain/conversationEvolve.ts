// How the conversation's later facts (conversationEvents.ts) change a drawn giveaway's state.
// Only what deciding needs is kept: digests, not texts.
import type { ChatEvent } from "./conversationEvents.ts";
import { chatEvents } from "./conversationEvents.ts";
import type { GiveawayEvent } from "./events.ts";
import { assertNever } from "./errors.ts";
import type { ChatState, DrawnGiveaway } from "./giveawayState.ts";
import { contentDigest } from "./messageIndex.ts";

const emptyChat: ChatState = { attachments: new Map(), muted: new Set(), reactions: new Set(), retracted: new Set(), edits: new Map() };

export function chatStateOf(state: DrawnGiveaway): ChatState {
  return state.chat ?? emptyChat;
}

export function isChatEvent(event: GiveawayEvent): event is ChatEvent {
  return chatEvents.has(event.type);
}

export const reactionKey = (messageId: string, userId: string, emoji: string) => `${messageId} ${userId} ${emoji}`;

/** A message's quote and attachments as one digest; undefined when it has neither. */
export function linksDigest(links: { readonly replyTo?: string | undefined; readonly attachmentIds?: readonly string[] | undefined }): string | undefined {
  const ids = links.attachmentIds ?? [];
  if (links.replyTo === undefined && ids.length === 0) return undefined;
  return contentDigest(`${links.replyTo ?? ""}|${ids.join(",")}`);
}

/** Folds one chat event; like evolve, an event that cannot apply leaves the state unchanged. */
export function evolveChat(state: DrawnGiveaway, event: ChatEvent): DrawnGiveaway {
  const chat = chatStateOf(state);
  const next = (change: Partial<ChatState>): DrawnGiveaway => ({ ...state, chat: { ...chat, ...change } });
  switch (event.type) {
    case "ReactionAdded":
    case "ReactionRemoved": {
      const { messageId, userId, emoji } = event.data;
      if (!state.messages.has(messageId)) return state;
      const reactions = new Set(chat.reactions);
      if (event.type === "ReactionAdded") reactions.add(reactionKey(messageId, userId, emoji));
      else reactions.delete(reactionKey(messageId, userId, emoji));
      return next({ reactions });
    }
    case "MessageEdited": {
      const { messageId, content } = event.data;
      if (!state.messages.has(messageId) || chat.retracted.has(messageId)) return state;
      return next({ edits: new Map(chat.edits).set(messageId, contentDigest(content)) });
    }
    case "MessageRetracted":
      if (!state.messages.has(event.data.messageId)) return state;
      return next({ retracted: new Set(chat.retracted).add(event.data.messageId) });
    case "AttachmentUploaded": {
      const { attachmentId, uploaderId, sha256 } = event.data;
      if (chat.attachments.has(attachmentId)) return state;
      return next({ attachments: new Map(chat.attachments).set(attachmentId, { uploaderId, sha256 }) });
    }
    case "ConversationMuted":
      return next({ muted: new Set(chat.muted).add(event.data.userId) });
    case "ConversationUnmuted": {
      const muted = new Set(chat.muted);
      muted.delete(event.data.userId);
      return next({ muted });
    }
    default:
      return assertNever(event);
  }
}

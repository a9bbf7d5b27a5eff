// One conversation as the client knows it, folded from the stream's frames and the sends' answers:
// one entry per message id, in revision order, each kept as its newest known version. A message that
// arrives twice (the POST's answer and the stream, or a replayed history) stays one message.
import { ChatMessageSchema, PresenceSchema, ReactionFrameSchema, ReadFrameSchema, TypingSchema, type ChatMessage, type Presence, type Typing } from "./wireFormat.ts";

interface Entry {
  message: ChatMessage;
  /** The revision of the newest event applied to it, so an older version arriving late is ignored. */
  changedAt: number;
}

export class ConversationState {
  private readonly entries = new Map<string, Entry>();
  private ordered: readonly ChatMessage[] = [];
  private stale = false;
  /** Each participant's read mark: the highest revision they have read. */
  readonly readUpTo = new Map<string, number>();
  /** The other participant's presence; null until the stream said. */
  presence: Presence | null = null;
  /** The other participant typing; null once their message arrives. */
  typing: Typing | null = null;

  /**
   * One frame of the stream (docs/api.md, "Every frame a client meets on this stream"), `revision`
   * being its id (null for presence and typing). Returns whether anything changed.
   */
  applyFrame(kind: string | undefined, data: unknown, revision: number | null): boolean {
    switch (kind) {
      case "message":
      case "message-edited":
      case "message-retracted":
      case "message-hidden": {
        const message = ChatMessageSchema.safeParse(data);
        if (!message.success) return false;
        const typingEnded = kind === "message" && this.typing?.userId === message.data.senderId;
        if (typingEnded) this.typing = null;
        return this.putMessage(message.data, revision ?? message.data.revision) || typingEnded;
      }
      case "reaction": {
        const reaction = ReactionFrameSchema.safeParse(data);
        if (!reaction.success || revision === null) return false;
        const { messageId, userId, emoji, reacted } = reaction.data;
        return this.react(messageId, userId, emoji, reacted, revision);
      }
      case "read": {
        const read = ReadFrameSchema.safeParse(data);
        return read.success && this.markRead(read.data.userId, read.data.upToRevision);
      }
      case "presence": {
        const presence = PresenceSchema.safeParse(data);
        if (presence.success) this.presence = presence.data;
        return presence.success;
      }
      case "typing": {
        const typing = TypingSchema.safeParse(data);
        if (typing.success) this.typing = typing.data;
        return typing.success;
      }
      default:
        return false; // pickup frames and kinds this client does not know yet
    }
  }

  /** Takes a message as it stood at event `revision` (its send, an edit, a removal). Returns whether anything changed. */
  putMessage(message: ChatMessage, revision: number): boolean {
    const known = this.entries.get(message.id);
    if (known && known.changedAt > revision) return false;
    this.entries.set(message.id, { message, changedAt: revision });
    this.stale = true;
    return true;
  }

  /** A reaction added or taken back at `revision`; a set operation, so applying it twice changes nothing. */
  react(messageId: string, userId: string, emoji: string, reacted: boolean, revision: number): boolean {
    const known = this.entries.get(messageId);
    if (!known || known.changedAt > revision) return false;
    const users = known.message.reactions[emoji] ?? [];
    if (users.includes(userId) === reacted) return false;
    const reactions = { ...known.message.reactions };
    if (reacted) reactions[emoji] = [...users, userId];
    else if (users.length > 1) reactions[emoji] = users.filter((user) => user !== userId);
    else delete reactions[emoji];
    this.entries.set(messageId, { message: { ...known.message, reactions }, changedAt: revision });
    this.stale = true;
    return true;
  }

  markRead(userId: string, upToRevision: number): boolean {
    if ((this.readUpTo.get(userId) ?? -1) >= upToRevision) return false;
    this.readUpTo.set(userId, upToRevision);
    return true;
  }

  /** Oldest first; the same array until something changes (what React's useSyncExternalStore needs). */
  get messages(): readonly ChatMessage[] {
    if (this.stale) {
      this.ordered = [...this.entries.values()].map((entry) => entry.message).sort((a, b) => a.revision - b.revision);
      this.stale = false;
    }
    return this.ordered;
  }
}

// Who gets an e-mail digest of a conversation, and when: a pure decision over facts the caller
// gathers (the recipient's address and choices, their read mark, the last digest, the unread
// messages) and the time, injected. A recipient who has not read the other person's new messages
// within the delay gets one mail of them; then nothing more for that conversation until they have
// read that far. Muted, turned off, unsubscribed or no verified address: nothing.

/** One message as a digest shows it. */
export interface DigestMessage {
  id: string;
  revision: number;
  /** null: a notice the platform posted (no sender). */
  senderId: string | null;
  senderName: string | null;
  /** The newest version; null when a moderator hid it; "" once its sender removed it. */
  content: string | null;
  sentAt: string;
  attachments: readonly { contentType: string; size: number }[];
}

export interface DigestFacts {
  recipientId: string;
  /** The verified address, unless unsubscribed (emailAddresses.ts digestAddress). */
  address: string | undefined;
  /** The user's notification settings allow e-mail. */
  emailEnabled: boolean;
  /** The recipient muted this conversation (silences push and e-mail alike). */
  muted: boolean;
  /** The recipient is still the giver or the current winner. */
  participant: boolean;
  /** The recipient has read up to this revision (what they sent counts as read); -1: nothing. */
  readUpTo: number;
  /** The last digest of this conversation went up to this revision; -1: none yet. */
  digestedUpTo: number;
  /** The conversation's newer messages, in any order: the decision keeps those still unread. */
  messages: readonly DigestMessage[];
}

export type DigestDecision =
  | { kind: "send"; address: string; messages: DigestMessage[]; upToRevision: number }
  | { kind: "later"; dueAt: Date }
  | { kind: "none"; reason: "no_address" | "email_off" | "muted" | "not_participant" | "awaiting_read" | "nothing_unread" };

/** The stored wake-up of one recipient's digest of one conversation. */
export function digestKey(giveawayId: string, userId: string): string {
  return `digest:${giveawayId}:${userId}`;
}

/** The messages the recipient has not read and no digest has told them of, oldest first; removed and hidden ones left out. */
export function unreadForDigest(facts: Pick<DigestFacts, "recipientId" | "readUpTo" | "digestedUpTo" | "messages">): DigestMessage[] {
  const after = Math.max(facts.readUpTo, facts.digestedUpTo);
  return facts.messages
    .filter((message) => message.revision > after && message.senderId !== facts.recipientId && message.content !== null && message.content !== "")
    .sort((a, b) => a.revision - b.revision);
}

export function decideDigest(facts: DigestFacts, now: Date, delayMs: number): DigestDecision {
  if (facts.address === undefined) return { kind: "none", reason: "no_address" };
  if (!facts.emailEnabled) return { kind: "none", reason: "email_off" };
  if (facts.muted) return { kind: "none", reason: "muted" };
  if (!facts.participant) return { kind: "none", reason: "not_participant" };
  // One mail, then nothing more until they have read what it told them of.
  if (facts.digestedUpTo > facts.readUpTo) return { kind: "none", reason: "awaiting_read" };
  const unread = unreadForDigest(facts);
  if (unread.length === 0) return { kind: "none", reason: "nothing_unread" };
  const dueAt = new Date(Date.parse(unread[0]!.sentAt) + delayMs);
  if (dueAt.getTime() > now.getTime()) return { kind: "later", dueAt };
  return { kind: "send", address: facts.address, messages: unread, upToRevision: unread[unread.length - 1]!.revision };
}

/** When to look again after a message arrived: the decision's due time, now when already due, never when nothing would be sent. */
export function digestWakeUpAt(decision: DigestDecision, now: Date): Date | undefined {
  if (decision.kind === "later") return decision.dueAt;
  if (decision.kind === "send") return now;
  return undefined;
}

// The questions asked before an action that cannot be taken back (decline the prize, redraw, cancel
// the giveaway, remove a message), in one place: the chat's dialogs (with script) and the
// confirmation pages (without it) draw the same words, and their forms post to the existing routes.
import { assertNever } from "../../domain/errors.ts";

export type ConfirmKind = "decline" | "redraw" | "cancel" | "retract";

export interface Confirmation {
  kind: ConfirmKind;
  giveawayId: string;
  question: string;
  explanation: string;
  /** The button that does it, and the one that leaves everything as it is. */
  confirmLabel: string;
  dismissLabel: string;
  /** The existing POST route, and the hidden fields its form needs. */
  action: string;
  fields: { name: string; value: string }[];
  /** Cancelling asks for an optional reason. */
  askReason: boolean;
}

export interface ConfirmContext {
  giveawayId: string;
  /** The winner's name (decline, redraw). */
  winnerName?: string;
  /** The winner a redraw replaces (its retry guard), or the message to remove. */
  winnerId?: string;
  messageId?: string;
}

export function confirmation(kind: ConfirmKind, context: ConfirmContext): Confirmation {
  const { giveawayId } = context;
  const base = { kind, giveawayId, action: `/messages/${giveawayId}/${kind}`, dismissLabel: "Cancel", askReason: false, fields: [] };
  switch (kind) {
    case "decline":
      return { ...base, question: "Decline the prize?", explanation: "The giver will draw someone else, and you can no longer send in this chat.", confirmLabel: "Decline" };
    case "redraw":
      return {
        ...base,
        question: `Draw another winner instead of ${context.winnerName ?? "the winner"}?`,
        explanation: "A new winner is drawn from the other entrants. The current winner can still read this chat, but no longer send.",
        confirmLabel: "Redraw",
        fields: context.winnerId ? [{ name: "replacing", value: context.winnerId }] : [],
      };
    case "cancel":
      return {
        ...base,
        question: "Cancel the giveaway?",
        explanation: "Nobody will get it, and this chat closes for messages.",
        confirmLabel: "Cancel the giveaway",
        dismissLabel: "Keep it",
        askReason: true,
      };
    case "retract":
      return {
        ...base,
        question: "Remove this message?",
        explanation: "Both of you will see “message removed” instead.",
        confirmLabel: "Remove",
        fields: context.messageId ? [{ name: "messageId", value: context.messageId }] : [],
      };
    default:
      return assertNever(kind);
  }
}

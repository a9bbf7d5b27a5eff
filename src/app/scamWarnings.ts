// Which scam warning a message shows its reader: only the recipient is warned; the sender is not
// told (their copy says null, as any unflagged message does), and a platform notice or a removed message has none.
import { scamWarningOf, type ScamPattern, type ScamWarning } from "../domain/scamPatterns.ts";
import type { MessageView } from "../projections/conversationProjection.ts";

/** null: nothing to warn this reader about (their own message, a notice, a removed message, or nothing matched). */
export function scamWarningFor(patterns: readonly ScamPattern[], message: MessageView, readerId: string): ScamWarning | null {
  if (message.senderId === readerId || message.senderId === null || message.content === null || message.content === "" || message.retractedAt !== null) return null;
  return scamWarningOf(patterns, message.content);
}

/** A message as JSON for its reader, with the warning it shows them. */
export function messageForReader<M extends MessageView>(patterns: readonly ScamPattern[], message: M, readerId: string): M & { warning: ScamWarning | null } {
  return { ...message, warning: scamWarningFor(patterns, message, readerId) };
}

// Which scam warning a message shows its reader: only the recipient is warned; the sender is not
// told (their view has no warning field at all), and a platform notice or a removed message has none.
import { scamWarningOf, type ScamPattern, type ScamWarning } from "../domain/scamPatterns.ts";
import type { MessageView } from "../projections/conversationProjection.ts";

/** undefined: the reader sent it (no field); null: nothing to warn about. */
export function scamWarningFor(patterns: readonly ScamPattern[], message: MessageView, readerId: string): ScamWarning | null | undefined {
  if (message.senderId === readerId) return undefined;
  if (message.senderId === null || message.content === null || message.content === "" || message.retractedAt !== null) return null;
  return scamWarningOf(patterns, message.content);
}

/** A message as JSON for its reader: the recipient's copy carries `warning`, the sender's does not. */
export function messageForReader<M extends MessageView>(patterns: readonly ScamPattern[], message: M, readerId: string): M | (M & { warning: ScamWarning | null }) {
  const warning = scamWarningFor(patterns, message, readerId);
  return warning === undefined ? message : { ...message, warning };
}

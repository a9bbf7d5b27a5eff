// One message sent, retried with the same id until handoff answers: the id makes every retry of
// the same message stored once (docs/api.md, "send"), so a lost answer can safely be asked again.
import { errorFromResponse, HandoffError, networkError } from "./handoffError.ts";
import { retryDelay, wait, type BackoffOptions } from "./retryDelay.ts";
import type { Transport } from "./transport.ts";
import { ChatMessageSchema, type ChatMessage } from "./wireFormat.ts";

export interface OutgoingMessage {
  id: string;
  content: string;
  replyTo?: string;
  attachmentIds?: string[];
}

export interface SendPolicy extends BackoffOptions {
  /** Attempts in all before a retryable failure is given up (the caller may send the same id again later). */
  attempts: number;
}

export async function postMessage(
  transport: Transport,
  giveawayId: string,
  message: OutgoingMessage,
  policy: SendPolicy,
  signal: AbortSignal,
): Promise<ChatMessage> {
  let tokenRefreshed = false;
  for (let attempt = 0; ; attempt += 1) {
    let failure: HandoffError;
    try {
      const response = await transport.fetch(`/api/giveaways/${encodeURIComponent(giveawayId)}/messages`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(message),
        signal,
      });
      if (response.ok) {
        const answer = ChatMessageSchema.safeParse(await response.json());
        if (answer.success) return answer.data;
        throw new HandoffError(response.status, "unexpected_answer", "handoff's answer is not a message");
      }
      failure = await errorFromResponse(response);
    } catch (error) {
      // A body cut off mid-answer is a lost answer like any other: ask again.
      failure = error instanceof HandoffError ? error : networkError(error);
    }
    if (signal.aborted) throw new HandoffError(0, "closed", "the conversation was closed before the message was sent");
    if (failure.status === 401 && transport.refreshesTokens && !tokenRefreshed) tokenRefreshed = true;
    else if (!failure.retryable || attempt + 1 >= policy.attempts) throw failure;
    await wait(retryDelay(attempt, policy, failure.retryAfterMs), signal);
  }
}

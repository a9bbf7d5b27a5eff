// React binding of HandoffClient: one conversation's status and ordered messages, and a send.
import { createContext, useCallback, useContext, useMemo, useSyncExternalStore } from "react";
import type { ChatMessage, ConversationSnapshot, HandoffClient, SendOptions } from "./handoffClient.ts";

/** Provide the app's one HandoffClient here (or pass `{ client }` to the hook). */
export const HandoffClientContext = createContext<HandoffClient | null>(null);

export interface ConversationView extends ConversationSnapshot {
  send(content: string, options?: SendOptions): Promise<ChatMessage>;
}

export function useConversation(giveawayId: string, options: { client?: HandoffClient } = {}): ConversationView {
  const provided = useContext(HandoffClientContext);
  const client = options.client ?? provided;
  if (!client) throw new Error("useConversation needs a HandoffClient: pass { client } or render inside HandoffClientContext");
  // Creating a conversation opens nothing: its stream opens when React subscribes and closes when
  // the last subscriber leaves (unmount, another giveawayId), so Strict Mode's double effects are harmless.
  const conversation = useMemo(() => client.conversation(giveawayId), [client, giveawayId]);
  const snapshot = useSyncExternalStore(conversation.subscribe, conversation.getSnapshot, conversation.getSnapshot);
  const send = useCallback((content: string, sendOptions?: SendOptions) => conversation.send(content, sendOptions), [conversation]);
  return useMemo(() => ({ ...snapshot, send }), [snapshot, send]);
}

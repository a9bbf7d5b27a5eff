// How a driver reaches a system: an SSE stream (limit, handoff) or a Socket.IO room.
export type SubscriberTarget =
  /** `headers` are cycled over the connections (handoff: the two participants' tokens). */
  | { kind: "sse"; url: string; headers: Record<string, string>[] }
  | { kind: "socketio"; url: string; room: string };

export type SenderTarget =
  /** A POST per message; `body` gets the content, plus a fresh uuid `id` when `withId`. */
  | { kind: "http"; url: string; headers: Record<string, string>; withId: boolean }
  /** An emit with acknowledgement of `event` ("send" broadcasts; "post" only answers). */
  | { kind: "socketio"; url: string; room: string; event: "send" | "post" };

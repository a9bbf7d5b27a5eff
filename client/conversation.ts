// One conversation, live: its stream followed from the last revision seen (after a reconnect too, so
// nothing is missed or doubled), its messages kept in order, and sends retried with their id.
// The stream is open while someone listens (subscribe) and until close().
import type { EventSourceMessage } from "eventsource-parser";
import { ConversationState } from "./conversationState.ts";
import { readEventStream } from "./eventStreamReader.ts";
import { errorFromResponse, HandoffError, networkError } from "./handoffError.ts";
import { postMessage, type SendPolicy } from "./messageSender.ts";
import { retryDelay, wait, type BackoffOptions } from "./retryDelay.ts";
import type { Transport } from "./transport.ts";
import type { ChatMessage, Presence, Typing } from "./wireFormat.ts";

export type ConversationStatus = "connecting" | "live" | "reconnecting" | "closed" | "unauthorized";

/** A message of ours not (yet) confirmed by handoff; `send(content, { id })` again retries a failed one. */
export interface PendingMessage {
  id: string;
  content: string;
  state: "sending" | "failed";
  error: HandoffError | null;
}

export interface ConversationSnapshot {
  status: ConversationStatus;
  /** Confirmed messages, oldest first (by revision), each once, as last edited, retracted or reacted to. */
  messages: readonly ChatMessage[];
  pending: readonly PendingMessage[];
  /** Each participant's read mark (highest revision read), as far as this stream has seen. */
  readUpTo: Readonly<Record<string, number>>;
  /** The other participant's presence; null until the stream said. */
  presence: Presence | null;
  /** The other participant typing (hide it at `until`); null once their message arrives. */
  typing: Typing | null;
  /** Why the stream is reconnecting, closed or unauthorized; null while all is well. */
  error: HandoffError | null;
}

export interface SendOptions {
  /** Choose the id yourself (a UUID) to retry a send that failed: it is stored once. */
  id?: string;
  replyTo?: string;
  attachmentIds?: string[];
}

export interface ConversationSettings {
  reconnect: BackoffOptions;
  send: SendPolicy;
  /** A stream silent this long (no heartbeat) is taken as dead and reopened. */
  idleTimeoutMs: number;
}

export class Conversation {
  private readonly state = new ConversationState();
  private readonly pendingById = new Map<string, PendingMessage>();
  private readonly listeners = new Set<() => void>();
  private readonly closing = new AbortController();
  private following: AbortController | null = null;
  private status: ConversationStatus = "connecting";
  private error: HandoffError | null = null;
  /** The newest durable frame received: where the next connection resumes (`-1`: from the start). */
  private lastEventId = -1;
  private wasLive = false;
  private tokenExpired = false;
  private current: ConversationSnapshot | null = null;
  private notifyScheduled = false;

  constructor(
    readonly giveawayId: string,
    private readonly transport: Transport,
    private readonly settings: ConversationSettings,
  ) {}

  /** The current state; the same object until something changes. */
  readonly getSnapshot = (): ConversationSnapshot => {
    this.current ??= {
      status: this.status,
      messages: this.state.messages,
      pending: [...this.pendingById.values()],
      readUpTo: Object.fromEntries(this.state.readUpTo),
      presence: this.state.presence,
      typing: this.state.typing,
      error: this.error,
    };
    return this.current;
  };

  get snapshot(): ConversationSnapshot {
    return this.getSnapshot();
  }

  get messages(): readonly ChatMessage[] {
    return this.getSnapshot().messages;
  }

  /** Calls `listener` after each change; the first listener opens the stream, the last one leaving closes it. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1 && !this.closing.signal.aborted) this.startFollowing();
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.stopFollowing("closed");
    };
  };

  /** Sends `content`; resolves with the stored message once handoff has it, however many retries that took. */
  readonly send = async (content: string, options: SendOptions = {}): Promise<ChatMessage> => {
    const id = options.id ?? crypto.randomUUID();
    this.pendingById.set(id, { id, content, state: "sending", error: null });
    this.changed();
    try {
      const message = await postMessage(this.transport, this.giveawayId, { ...options, id, content }, this.settings.send, this.closing.signal);
      this.pendingById.delete(id);
      this.state.putMessage(message, message.revision);
      this.changed();
      return message;
    } catch (error) {
      const failure = error instanceof HandoffError ? error : networkError(error);
      this.pendingById.set(id, { id, content, state: "failed", error: failure });
      this.changed();
      throw failure;
    }
  };

  /** Ends the stream and any send still retrying, for good. */
  close(): void {
    this.closing.abort();
    this.stopFollowing("closed");
  }

  private startFollowing(): void {
    const following = new AbortController();
    this.following = following;
    this.setStatus(this.wasLive ? "reconnecting" : "connecting", null);
    void this.follow(following.signal);
  }

  private stopFollowing(status: ConversationStatus, error: HandoffError | null = null): void {
    this.following?.abort();
    this.following = null;
    this.setStatus(status, error);
  }

  private async follow(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    let refusedTokens = 0;
    while (!signal.aborted) {
      let failure: HandoffError;
      try {
        const response = await this.transport.fetch(`/api/giveaways/${encodeURIComponent(this.giveawayId)}/stream?after=${this.lastEventId}`, {
          headers: { Accept: "text/event-stream" },
          signal,
        });
        if (!response.ok) throw await errorFromResponse(response);
        if (!response.body) throw networkError("the stream answered without a body");
        attempt = 0;
        refusedTokens = 0;
        this.tokenExpired = false;
        this.wasLive = true;
        this.setStatus("live", null);
        const end = await readEventStream(response.body, (event) => this.receive(event), this.settings.idleTimeoutMs);
        failure = this.tokenExpired
          ? new HandoffError(401, "token_expired", "the token this stream was opened with has expired")
          : networkError(end === "idle" ? "the stream went silent" : "the stream ended");
      } catch (error) {
        failure = error instanceof HandoffError ? error : networkError(error);
      }
      if (signal.aborted) return;
      if (failure.status === 401) {
        refusedTokens += 1;
        // A fixed token that is refused stays refused; a getToken gets one more chance to give a fresh one.
        if (!this.transport.refreshesTokens || refusedTokens > 1) return this.stopFollowing("unauthorized", failure);
      } else if (!failure.retryable && failure.code !== "resume_point_ahead") {
        // Not a participant, no such giveaway, not drawn yet: reconnecting would not change it.
        return this.stopFollowing("closed", failure);
      }
      this.setStatus(this.wasLive ? "reconnecting" : "connecting", failure);
      await wait(retryDelay(attempt, this.settings.reconnect, failure.retryAfterMs), signal);
      attempt += 1;
    }
  }

  /** One frame of the stream (docs/api.md, "Every frame a client meets on this stream"). */
  private receive(frame: EventSourceMessage): void {
    const revision = frame.id === undefined || frame.id === "" ? null : Number(frame.id);
    if (revision !== null && Number.isInteger(revision)) this.lastEventId = Math.max(this.lastEventId, revision);
    if (frame.event === "expired") {
      this.tokenExpired = true;
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(frame.data);
    } catch {
      return; // not one of ours (kinds a newer server adds are skipped the same way)
    }
    if (this.state.applyFrame(frame.event, data, revision)) this.changed();
  }

  private setStatus(status: ConversationStatus, error: HandoffError | null): void {
    if (this.status === status && this.error === error) return;
    this.status = status;
    this.error = error;
    this.changed();
  }

  /** Listeners hear of changes once per burst (a replayed history is many frames in one chunk). */
  private changed(): void {
    this.current = null;
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      for (const listener of [...this.listeners]) listener();
    });
  }
}

// A typed client for handoff's JSON API and conversation stream, without a framework: for platforms
// that build their own chat screen. Runs in browsers and on Node 20 (global fetch). See client/README.md.
import { Conversation, type ConversationSettings } from "./conversation.ts";
import { Transport, type TransportOptions } from "./transport.ts";

export interface HandoffClientOptions extends TransportOptions {
  /** Waits between reconnects: doubling from `initialDelayMs` up to `maxDelayMs` (defaults 250 ms and 10 s). */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** How often a send is tried before it is reported failed (default 6), and its waits (defaults 250 ms and 5 s). */
  send?: { attempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** A stream silent this long is reopened (default 40 s; handoff sends a heartbeat every 15 s). */
  idleTimeoutMs?: number;
}

export class HandoffClient {
  private readonly transport: Transport;
  private readonly settings: ConversationSettings;

  constructor(options: HandoffClientOptions) {
    this.transport = new Transport(options);
    this.settings = {
      reconnect: { initialDelayMs: 250, maxDelayMs: 10_000, ...options.reconnect },
      send: { attempts: 6, initialDelayMs: 250, maxDelayMs: 5_000, ...options.send },
      idleTimeoutMs: options.idleTimeoutMs ?? 40_000,
    };
  }

  /** A conversation (giveaway) of the signed-in user: its stream opens on the first subscribe. */
  conversation(giveawayId: string): Conversation {
    return new Conversation(giveawayId, this.transport, this.settings);
  }
}

export { Conversation } from "./conversation.ts";
export type { ConversationSnapshot, ConversationStatus, PendingMessage, SendOptions } from "./conversation.ts";
export { HandoffError } from "./handoffError.ts";
export type { ChatMessage, Presence, Typing } from "./wireFormat.ts";

// A bench message carries its sequence number and send time in its content, so every system
// (whatever envelope it puts around the content) delivers what the receiver needs to time it.
import type { MessageView } from "../../src/projections/conversationProjection.ts";

const pattern = /b (\d+) (\d+\.\d+)/;

export function benchContent(seq: number, sentAt: number): string {
  return `b ${seq} ${sentAt.toFixed(3)}`;
}

/** Finds the bench content inside a frame's data (JSON or plain); undefined for other frames. */
export function readBenchContent(text: string): { seq: number; sentAt: number } | undefined {
  const match = pattern.exec(text);
  return match ? { seq: Number(match[1]), sentAt: Number(match[2]) } : undefined;
}

/**
 * What the limit and Socket.IO servers send for a message: handoff's own MessageView shape, at
 * about the same size, so no system wins by sending less.
 */
export type BaselineMessage = MessageView;

const baselineGiveawayId = "0b7c2a5e-5f0e-4a59-9d7e-0f3c6f1d2a11";
const baselineSenderId = "5d1f7c43-2b8e-4d0a-a6c4-3e9b7a2f8c55";

export function baselineMessage(id: string, revision: number, content: string): BaselineMessage {
  return { id, giveawayId: baselineGiveawayId, senderId: baselineSenderId, senderName: "bench_giver", kind: "user", content, sentAt: new Date().toISOString(), revision, replyTo: null, attachments: [], reactions: {}, editedAt: null, retractedAt: null, hiddenByModerator: false };
}

/** Seeded history for catch-up: about as long as the seeded handoff messages. */
export function seededContent(index: number): string {
  return `Would Thursday after six work? I could also do Saturday morning. (${index})`;
}

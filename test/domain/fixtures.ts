// Shared ids, instants and event builders for the domain specs.
import type { GiveawayEvent } from "../../src/domain/events.ts";

export const giveawayId = "0b6f4c1e-8a52-4f0e-9a3d-2b7c1d9e4f01";
export const giver = "1a2b3c4d-1111-4aaa-8bbb-000000000001";
export const alice = "1a2b3c4d-2222-4aaa-8bbb-000000000002";
export const bob = "1a2b3c4d-3333-4aaa-8bbb-000000000003";
export const carol = "1a2b3c4d-4444-4aaa-8bbb-000000000004";
export const stranger = "1a2b3c4d-5555-4aaa-8bbb-000000000005";
export const message1 = "9c0d8e7f-0001-4bcd-9eee-000000000001";
export const message2 = "9c0d8e7f-0002-4bcd-9eee-000000000002";

export const now = new Date("2025-01-02T03:04:05.000Z");
export const at = now.toISOString();

export const created = (title = "A bike", description = ""): GiveawayEvent => ({
  type: "GiveawayCreated",
  data: { giveawayId, giverId: giver, title, description, createdAt: at },
});

export const entered = (userId: string): GiveawayEvent => ({
  type: "EntrySubmitted",
  data: { userId, enteredAt: at },
});

export const drawn = (winnerId: string): GiveawayEvent => ({
  type: "DrawConducted",
  data: { winnerId, drawnAt: at },
});

export const messageSent = (messageId: string, senderId: string, content: string): GiveawayEvent => ({
  type: "MessageSent",
  data: { messageId, senderId, content, sentAt: at },
});

export const conversationRead = (userId: string, upToRevision: number): GiveawayEvent => ({
  type: "ConversationRead",
  data: { userId, upToRevision, readAt: at },
});

/** Created, alice and bob entered, alice won: revisions 0..3. */
export const drawnWithAliceWinning = (): GiveawayEvent[] => [created(), entered(alice), entered(bob), drawn(alice)];

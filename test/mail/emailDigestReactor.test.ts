// The e-mail digest reactor's rules, given events then effects (test/reactors/reactorKit.ts): which
// message gets a stored wake-up and when, what moves or drops it, and what the wake-up sends and records.
import { describe, expect, it } from "vitest";
import { noEmail, type EmailState } from "../../src/domain/emailAddresses.ts";
import type { DigestMessage } from "../../src/domain/emailDigest.ts";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import { emailDigestReactor, type DigestToSend } from "../../src/reactors/emailDigestReactor.ts";
import { reactorKit } from "../reactors/reactorKit.ts";

const minute = 60_000;
const delayMs = 15 * minute;
const giveawayId = "9b2f1a57-3a1e-4b8e-8f5e-2d1c0b9a8e7f";
const giver = "aaaaaaaa-0000-4000-8000-000000000001";
const winner = "bbbbbbbb-0000-4000-8000-000000000001";
const start = "2026-12-05T10:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(start) + minutes * minute).toISOString();
const key = `digest:${giveawayId}:${winner}`;

/** A conversation between the giver and the winner as the read models would show it, and the winner's stream. */
function setup(options: { address?: string; muted?: boolean; emailOn?: boolean; failSends?: number } = {}) {
  const messages: DigestMessage[] = [];
  const readUpTo = new Map<string, number>();
  const state: { email: EmailState } = { email: { ...noEmail, verified: options.address } };
  const sent: DigestToSend[] = [];
  const recorded: { userId: string; giveawayId: string; upToRevision: number; messageCount: number }[] = [];
  let failures = options.failSends ?? 0;
  const reactor = emailDigestReactor({
    delayMs,
    emailStateOf: async (userId) => (userId === winner ? state.email : noEmail),
    emailEnabled: () => options.emailOn ?? true,
    isMuted: () => options.muted ?? false,
    recipientsOf: (_id, senderId) => [giver, winner].filter((userId) => userId !== senderId),
    conversationFor: (_id, userId) => ({
      participant: true,
      title: "A blue bike",
      readUpTo: readUpTo.get(userId) ?? -1,
      messagesAfter: (revision) => messages.filter((message) => message.revision > revision),
    }),
    async sendDigest(digest) {
      if (failures > 0) {
        failures -= 1;
        throw new Error("connection refused");
      }
      sent.push(digest);
    },
    async recordDigest(userId, data) {
      recorded.push({ userId, ...data });
      state.email = { ...state.email, digestedUpTo: { ...state.email.digestedUpTo, [data.giveawayId]: data.upToRevision } };
    },
  });
  const kit = reactorKit(reactor, start);
  /** The giver writes: the read models show it, and the kit hands its event over. */
  const giverWrites = (content: string) => {
    const sentAt = kit.clock.now().toISOString();
    const messageId = crypto.randomUUID();
    const event: GiveawayEvent = { type: "MessageSent", data: { messageId, senderId: giver, content, sentAt } };
    const projected = kit.giveawayEvent(giveawayId, event);
    messages.push({ id: messageId, revision: Number(projected.recorded.revision), senderId: giver, senderName: "ann", content, sentAt, attachments: [] });
    return projected;
  };
  const winnerReads = (upToRevision: number) => {
    readUpTo.set(winner, upToRevision);
    return kit.giveawayEvent(giveawayId, { type: "ConversationRead", data: { userId: winner, upToRevision, readAt: kit.clock.now().toISOString() } });
  };
  return { kit, sent, recorded, giverWrites, winnerReads, state };
}

describe("e-mail digest reactor", () => {
  it("a message to a recipient with a verified address gets a wake-up at its time plus the delay", async () => {
    const { kit, giverWrites } = setup({ address: "bob@example.invalid" });
    const { scheduled } = await kit.given([giverWrites("Saturday at 10?")]);
    expect(scheduled).toEqual([{ key, dueAt: at(15), payload: { giveawayId, userId: winner } }]);
  });

  it("a later message keeps the first one's time: the mail goes 15 minutes after the oldest unread", async () => {
    const { kit, giverWrites } = setup({ address: "bob@example.invalid" });
    await kit.given([giverWrites("Saturday at 10?")]);
    kit.clock.advance(10 * minute);
    await kit.given([giverWrites("Or Sunday?")]);
    expect(kit.wakeUps()).toEqual([{ key, dueAt: at(15), payload: { giveawayId, userId: winner } }]);
  });

  it.each([
    ["no address", { address: undefined }],
    ["e-mail off in the settings", { address: "bob@example.invalid", emailOn: false }],
    ["a muted conversation", { address: "bob@example.invalid", muted: true }],
  ])("nothing is scheduled for %s", async (_why, options) => {
    const { kit, giverWrites } = setup(options);
    await kit.given([giverWrites("Saturday at 10?")]);
    expect(kit.wakeUps()).toEqual([]);
  });

  it("reading the conversation drops the wake-up, and the wake-up sends nothing", async () => {
    const { kit, sent, giverWrites, winnerReads } = setup({ address: "bob@example.invalid" });
    const message = giverWrites("Saturday at 10?");
    await kit.given([message]);
    const { cancelled } = await kit.given([winnerReads(Number(message.recorded.revision))]);
    expect(cancelled).toEqual([key]);
    kit.clock.advance(20 * minute);
    expect(await kit.wakeDue()).toEqual([]);
    expect(sent).toEqual([]);
  });

  it("reading part of it moves the wake-up to the oldest message still unread", async () => {
    const { kit, giverWrites, winnerReads } = setup({ address: "bob@example.invalid" });
    const first = giverWrites("Saturday at 10?");
    kit.clock.advance(5 * minute);
    const second = giverWrites("Or Sunday?");
    await kit.given([first, second]);
    await kit.given([winnerReads(Number(first.recorded.revision))]);
    expect(kit.wakeUps()).toEqual([{ key, dueAt: at(20), payload: { giveawayId, userId: winner } }]);
  });

  it("the wake-up sends the unread messages once, records it, and nothing more comes until they have read it", async () => {
    const { kit, sent, recorded, giverWrites, winnerReads } = setup({ address: "bob@example.invalid" });
    await kit.given([giverWrites("Saturday at 10?"), giverWrites("<b>bring a lock</b>")]);
    kit.clock.advance(15 * minute);
    expect(await kit.wakeDue()).toEqual([key]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: "bob@example.invalid", recipientId: winner, giveawayId, title: "A blue bike", upToRevision: 1 });
    expect(sent[0]!.messages.map((message) => message.content)).toEqual(["Saturday at 10?", "<b>bring a lock</b>"]);
    expect(recorded).toEqual([{ userId: winner, giveawayId, upToRevision: 1, messageCount: 2 }]);
    // Unread since the digest: no new wake-up, however much more is written.
    const third = giverWrites("Hello?");
    await kit.given([third]);
    kit.clock.advance(60 * minute);
    await kit.wakeDue();
    expect(sent).toHaveLength(1);
    // Once read, the next unread message is mailed about again.
    await kit.given([winnerReads(Number(third.recorded.revision))]);
    const fourth = giverWrites("See you then");
    const { scheduled } = await kit.given([fourth]);
    expect(scheduled.map((wake) => wake.key)).toEqual([key]);
    kit.clock.advance(15 * minute);
    await kit.wakeDue();
    expect(sent.map((digest) => digest.messages.map((message) => message.content))).toEqual([["Saturday at 10?", "<b>bring a lock</b>"], ["See you then"]]);
  });

  it("a send that fails throws (the runner calls the wake-up again) and the next call sends once", async () => {
    const { kit, sent, recorded, giverWrites } = setup({ address: "bob@example.invalid", failSends: 1 });
    await kit.given([giverWrites("Saturday at 10?")]);
    kit.clock.advance(15 * minute);
    await expect(kit.wakeDue()).rejects.toThrow(/connection refused/);
    expect(await kit.wakeDue()).toEqual([key]);
    expect(sent).toHaveLength(1);
    expect(recorded).toHaveLength(1);
  });

  it("a wake-up that finds the digest already recorded (a repeat after a crash) sends nothing", async () => {
    const { kit, sent, giverWrites, state } = setup({ address: "bob@example.invalid" });
    const message = giverWrites("Saturday at 10?");
    await kit.given([message]);
    state.email = { ...state.email, digestedUpTo: { [giveawayId]: Number(message.recorded.revision) } };
    kit.clock.advance(15 * minute);
    await kit.wakeDue();
    expect(sent).toEqual([]);
  });

  it("the recipient's own message counts as reading: their wake-up is dropped", async () => {
    const { kit, giverWrites } = setup({ address: "bob@example.invalid" });
    await kit.given([giverWrites("Saturday at 10?")]);
    const reply = kit.giveawayEvent(giveawayId, { type: "MessageSent", data: { messageId: crypto.randomUUID(), senderId: winner, content: "Yes", sentAt: at(1) } });
    const { cancelled } = await kit.given([reply]);
    expect(cancelled).toContain(key);
    expect(kit.wakeUps()).toEqual([]);
  });
});

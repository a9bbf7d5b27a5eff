// Who gets a digest of a conversation, and when: the pure decision (src/domain/emailDigest.ts).
import { describe, expect, it } from "vitest";
import { decideDigest, type DigestFacts, type DigestMessage } from "../../src/domain/emailDigest.ts";

const me = "bbbbbbbb-0000-4000-8000-000000000001";
const other = "aaaaaaaa-0000-4000-8000-000000000001";
const delayMs = 15 * 60_000;
const t0 = Date.parse("2026-12-05T10:00:00.000Z");
const message = (revision: number, minutes: number, extra: Partial<DigestMessage> = {}): DigestMessage => ({
  id: `00000000-0000-4000-8000-${String(revision).padStart(12, "0")}`,
  revision,
  senderId: other,
  senderName: "ann",
  content: `message ${revision}`,
  sentAt: new Date(t0 + minutes * 60_000).toISOString(),
  attachments: [],
  ...extra,
});
const facts = (overrides: Partial<DigestFacts> = {}): DigestFacts => ({
  recipientId: me,
  address: "bob@example.invalid",
  emailEnabled: true,
  muted: false,
  participant: true,
  readUpTo: -1,
  digestedUpTo: -1,
  messages: [message(3, 0), message(4, 5)],
  ...overrides,
});
const after = (minutes: number) => new Date(t0 + minutes * 60_000);

describe("digest decision", () => {
  it("waits until the oldest unread message is the delay old, then sends every unread one", () => {
    expect(decideDigest(facts(), after(10), delayMs)).toEqual({ kind: "later", dueAt: after(15) });
    const decision = decideDigest(facts(), after(15), delayMs);
    expect(decision).toMatchObject({ kind: "send", address: "bob@example.invalid", upToRevision: 4 });
    expect(decision.kind === "send" && decision.messages.map((m) => m.revision)).toEqual([3, 4]);
  });

  it("leaves out what they read, what they wrote, and what was removed or hidden", () => {
    const messages = [message(3, 0), message(4, 1, { senderId: me }), message(5, 2, { content: "" }), message(6, 3, { content: null }), message(7, 4)];
    const decision = decideDigest(facts({ messages, readUpTo: 3 }), after(30), delayMs);
    expect(decision.kind === "send" && decision.messages.map((m) => m.revision)).toEqual([7]);
  });

  it.each<[string, Partial<DigestFacts>, string]>([
    ["no verified address (or unsubscribed)", { address: undefined }, "no_address"],
    ["e-mail off in the settings", { emailEnabled: false }, "email_off"],
    ["the conversation muted", { muted: true }, "muted"],
    ["no longer a participant", { participant: false }, "not_participant"],
    ["a digest they have not read yet", { digestedUpTo: 2, readUpTo: 1 }, "awaiting_read"],
    ["everything read", { readUpTo: 4 }, "nothing_unread"],
  ])("sends nothing with %s", (_why, overrides, reason) => {
    expect(decideDigest(facts(overrides), after(60), delayMs)).toEqual({ kind: "none", reason });
  });

  it("after a digest they have read, only what is newer than both counts", () => {
    const decision = decideDigest(facts({ digestedUpTo: 3, readUpTo: 3 }), after(60), delayMs);
    expect(decision.kind === "send" && decision.messages.map((m) => m.revision)).toEqual([4]);
  });
});

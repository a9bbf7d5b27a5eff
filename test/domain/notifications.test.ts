// Who is told what away from the page (push and e-mail alike), the notification settings and the
// push subscriptions' decisions: given a giveaway's events, then the notices; given a user's events,
// then what a command records.
import { describe, expect, it } from "vitest";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import { foldGiveaway } from "../../src/domain/giveaway.ts";
import { conversationLink, hasMuted, noticesFor } from "../../src/domain/notificationRecipients.ts";
import { decideNotificationSettings, defaultNotificationSettings, foldNotificationSettings, previewMaxLength, previewOf } from "../../src/domain/notificationSettings.ts";
import { decideSubscribe, decideUnsubscribe, foldPushSubscriptions, maxPushSubscriptionsPerUser, pushKeysProblem } from "../../src/domain/pushSubscriptions.ts";
import { alice, at, bob, giveawayId, giver, message1, messageSent, now } from "./fixtures.ts";
import { accepted, cancelled, drawnAmongThree, proposal1, proposed, redrawn, reminded } from "./pickupFixtures.ts";

/** The fold including the last event, and the notices that event makes. */
function noticesAfter(events: GiveawayEvent[]) {
  const state = foldGiveaway(events.map((event, revision) => ({ event, revision })));
  return noticesFor(state, events[events.length - 1]!);
}
const muted = (userId: string): GiveawayEvent => ({ type: "ConversationMuted", data: { userId, mutedAt: at } });
const unmuted = (userId: string): GiveawayEvent => ({ type: "ConversationUnmuted", data: { userId, unmutedAt: at } });
const reacted = (messageId: string, userId: string): GiveawayEvent => ({ type: "ReactionAdded", data: { messageId, userId, emoji: "👍", reactedAt: at } });
const title = "A bike";

describe("who is told", () => {
  it("a message tells the other side of the conversation, with its whole text", () => {
    expect(noticesAfter([...drawnAmongThree(), messageSent(message1, giver, "Saturday at 10?")])).toEqual([
      { userId: alice, giveawayId, title, kind: "message", actorId: giver, text: "Saturday at 10?" },
    ]);
    expect(noticesAfter([...drawnAmongThree(), messageSent(message1, alice, "Yes!")]).map((notice) => notice.userId)).toEqual([giver]);
  });

  it("nobody who muted the conversation is told, until they unmute", () => {
    expect(noticesAfter([...drawnAmongThree(), muted(alice), messageSent(message1, giver, "hi")])).toEqual([]);
    expect(noticesAfter([...drawnAmongThree(), muted(alice), unmuted(alice), messageSent(message1, giver, "hi")])).toHaveLength(1);
    expect(hasMuted(foldGiveaway([...drawnAmongThree(), muted(alice)].map((event, revision) => ({ event, revision }))), alice)).toBe(true);
  });

  it("a reaction tells the author of the message, never the one who reacted to their own", () => {
    expect(noticesAfter([...drawnAmongThree(), messageSent(message1, giver, "hi"), reacted(message1, alice)])).toEqual([
      { userId: giver, giveawayId, title, kind: "reaction", actorId: alice, text: "Reacted 👍 to your message" },
    ]);
    expect(noticesAfter([...drawnAmongThree(), messageSent(message1, giver, "hi"), reacted(message1, giver)])).toEqual([]);
  });

  it("a proposal tells the other side; accepting it tells the proposer; the reminder tells both", () => {
    const proposal = [...drawnAmongThree(), proposed(proposal1, giver, 24, 26, "Elm Street 5")];
    expect(noticesAfter(proposal)).toEqual([{ userId: alice, giveawayId, title, kind: "pickup_proposed", actorId: giver, text: "Proposes a pickup at Elm Street 5" }]);
    const plan = [...proposal, accepted(proposal1, alice)];
    expect(noticesAfter(plan)).toEqual([{ userId: giver, giveawayId, title, kind: "pickup_planned", actorId: alice, text: "Accepted the pickup at Elm Street 5" }]);
    expect(noticesAfter([...plan, reminded(proposal1, 23)]).map((notice) => [notice.userId, notice.kind, notice.actorId, notice.text])).toEqual([
      [giver, "pickup_reminder", null, "Pickup soon, at Elm Street 5"],
      [alice, "pickup_reminder", null, "Pickup soon, at Elm Street 5"],
    ]);
  });

  it("a redraw tells the new winner and the one replaced; a cancellation tells the winner, not the giver who cancelled", () => {
    const redraw = noticesAfter([...drawnAmongThree(), redrawn(bob, alice, "no_show", 50)]);
    expect(redraw.map((notice) => [notice.userId, notice.kind, notice.text])).toEqual([
      [bob, "redrawn", "You are the new winner: the chat with the giver is open"],
      [alice, "redrawn", "A new winner was drawn"],
    ]);
    expect(noticesAfter([...drawnAmongThree(), cancelled(1, 24, "sold elsewhere")])).toEqual([
      { userId: alice, giveawayId, title, kind: "cancelled", actorId: giver, text: "The giveaway was cancelled: sold elsewhere" },
    ]);
  });

  it("nothing before the draw notifies anyone", () => {
    expect(noticesAfter(drawnAmongThree().slice(0, 4))).toEqual([]);
  });

  it("links point at the conversation, on PUBLIC_URL when set", () => {
    expect(conversationLink(giveawayId, "https://chat.example.invalid")).toBe(`https://chat.example.invalid/messages/${giveawayId}`);
    expect(conversationLink(giveawayId, undefined)).toBe(`/messages/${giveawayId}`);
  });
});

describe("notification settings", () => {
  it("default to everything on; a change records all three, and only when something changes", () => {
    expect(foldNotificationSettings([])).toEqual(defaultNotificationSettings);
    const change = decideNotificationSettings({ type: "ChangeNotificationSettings", userId: alice, changes: { preview: false }, now }, defaultNotificationSettings);
    expect(change).toEqual({ ok: true, events: [{ type: "NotificationSettingsChanged", data: { userId: alice, push: true, email: true, preview: false, changedAt: at } }] });
    expect(decideNotificationSettings({ type: "ChangeNotificationSettings", userId: alice, changes: { push: true }, now }, defaultNotificationSettings)).toEqual({ ok: true, events: [] });
  });

  it("a preview is at most 120 characters, spaces folded, cut with an ellipsis; none when previews are off", () => {
    expect(previewOf("  Saturday\n\n at   10? ", { preview: true })).toBe("Saturday at 10?");
    const long = previewOf("é".repeat(300), { preview: true })!;
    expect([...long]).toHaveLength(previewMaxLength);
    expect(long.endsWith("…")).toBe(true);
    expect(previewOf("é".repeat(previewMaxLength), { preview: true })).toBe("é".repeat(previewMaxLength));
    expect(previewOf("Saturday at 10?", { preview: false })).toBeUndefined();
  });
});

describe("push subscriptions", () => {
  const keys = { p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString("base64url"), auth: Buffer.alloc(16, 1).toString("base64url") };
  const endpoint = (n: number) => `https://push.example.invalid/send/${n}`;
  const subscribe = (n: number, current = new Map()) => decideSubscribe({ type: "SubscribeToPush", userId: alice, endpoint: endpoint(n), keys, now }, current);

  it("a new endpoint is recorded; the same one with the same keys again records nothing and is known", () => {
    const first = subscribe(1);
    expect(first).toMatchObject({ ok: true, known: false, events: [{ type: "PushSubscribed", data: { userId: alice, endpoint: endpoint(1), ...keys, subscribedAt: at } }] });
    const standing = foldPushSubscriptions(first.ok ? first.events : []);
    expect(subscribe(1, new Map(standing))).toEqual({ ok: true, events: [], known: true });
  });

  it("past the limit, the oldest subscription makes room", () => {
    let standing = new Map();
    const events = [];
    for (let n = 1; n <= maxPushSubscriptionsPerUser; n++) {
      const decision = subscribe(n, standing);
      if (decision.ok) events.push(...decision.events);
      standing = new Map(foldPushSubscriptions(events));
    }
    const next = subscribe(maxPushSubscriptionsPerUser + 1, standing);
    expect(next.ok && next.events.map((event) => [event.type, event.data.endpoint])).toEqual([
      ["PushUnsubscribed", endpoint(1)],
      ["PushSubscribed", endpoint(maxPushSubscriptionsPerUser + 1)],
    ]);
  });

  it("ending one that stands records why; ending one that does not records nothing", () => {
    const first = subscribe(1);
    const standing = new Map(foldPushSubscriptions(first.ok ? first.events : []));
    expect(decideUnsubscribe({ type: "UnsubscribeFromPush", userId: alice, endpoint: endpoint(1), reason: "gone", now }, standing)).toEqual({
      ok: true,
      events: [{ type: "PushUnsubscribed", data: { userId: alice, endpoint: endpoint(1), reason: "gone", unsubscribedAt: at } }],
    });
    expect(decideUnsubscribe({ type: "UnsubscribeFromPush", userId: alice, endpoint: endpoint(2), reason: "user", now }, standing)).toEqual({ ok: true, events: [] });
  });

  it("keys must be an uncompressed P-256 point and a 16-byte secret", () => {
    expect(pushKeysProblem(keys)).toBeUndefined();
    expect(pushKeysProblem({ ...keys, p256dh: Buffer.alloc(65, 4).toString("base64url").replace(/^B/, "A") })).toMatch(/p256dh/);
    expect(pushKeysProblem({ ...keys, auth: Buffer.alloc(8).toString("base64url") })).toMatch(/auth/);
  });
});

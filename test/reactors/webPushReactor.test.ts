// The web-push reactor given events, then pushes and wake-ups (reactorKit.ts, a fake clock): who gets
// a push, and what a failing push service costs: a stored retry for that conversation and browser
// only, given up after the last wait; a 404/410 ends the subscription. (The pushes' bytes on the
// wire, against a real local push service: test/push/webPush.test.ts.)
import { beforeEach, describe, expect, it } from "vitest";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import { foldGiveaway } from "../../src/domain/giveaway.ts";
import type { NotificationSettings } from "../../src/domain/notificationSettings.ts";
import type { PushMessage } from "../../src/push/pushMessage.ts";
import type { PushOutcome } from "../../src/push/pushSender.ts";
import { webPushReactor, type WebPushDeps } from "../../src/reactors/webPushReactor.ts";
import { alice, at, giveawayId, giver, message1, message2, messageSent } from "../domain/fixtures.ts";
import { drawnAmongThree } from "../domain/pickupFixtures.ts";
import { reactorKit, type ReactorKit } from "./reactorKit.ts";

const endpoint = "https://push.example.invalid/send/alice";
const subscription = { endpoint, p256dh: "BAAA", auth: "AAAA", subscribedAt: at };
const retryDelaysMs = [30_000, 120_000];

describe("web-push reactor", () => {
  let kit: ReactorKit;
  let history: GiveawayEvent[];
  let outcomes: PushOutcome[];
  let sent: { endpoint: string; message: PushMessage }[];
  let ended: string[];
  let settings: NotificationSettings;
  let streamOpen: boolean;

  /** The giveaway's events so far handed to the reactor, as the runner would. */
  const happen = (...events: GiveawayEvent[]) =>
    kit.given(
      events.map((event) => {
        history.push(event);
        return kit.giveawayEvent(giveawayId, event);
      }),
    );

  beforeEach(async () => {
    history = [];
    outcomes = [];
    sent = [];
    ended = [];
    settings = { push: true, email: true, preview: true };
    streamOpen = false;
    const deps: WebPushDeps = {
      giveawayStateAt: async (_giveawayId, revision) => foldGiveaway(history.slice(0, revision + 1).map((event, index) => ({ event, revision: index }))),
      settingsOf: () => settings,
      subscriptionsOf: (userId) => (userId === alice && !ended.includes(endpoint) ? [subscription] : []),
      anySubscription: () => !ended.includes(endpoint),
      nameOf: (userId) => (userId === giver ? "gina" : "alice"),
      hasOpenStream: () => streamOpen,
      sender: {
        async send(target, message) {
          sent.push({ endpoint: target.endpoint, message });
          return outcomes.shift() ?? { kind: "sent", status: 201 };
        },
      },
      endSubscription: async (_userId, gone) => void ended.push(gone),
      publicOrigin: "https://chat.example.invalid",
      retryDelaysMs,
    };
    kit = reactorKit(webPushReactor(deps), at);
    await happen(...drawnAmongThree());
  });

  it("pushes a message to the other side, with the sender's name, the text and the conversation's link", async () => {
    await happen(messageSent(message1, giver, "Saturday at 10?"));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toMatchObject({
      payload: { kind: "message", giveawayId, title: "A bike", from: "gina", body: "Saturday at 10?", url: `https://chat.example.invalid/messages/${giveawayId}` },
      topic: giveawayId.replace(/-/g, ""),
      ttlSeconds: 86_400,
      urgency: "normal",
    });
    expect(kit.wakeUps()).toEqual([]);
  });

  it("pushes nothing to someone with a stream open, or with push turned off; no text with previews off", async () => {
    streamOpen = true;
    await happen(messageSent(message1, giver, "one"));
    streamOpen = false;
    settings = { push: false, email: true, preview: true };
    await happen(messageSent(message2, giver, "two"));
    expect(sent).toEqual([]);
    settings = { push: true, email: true, preview: false };
    await happen(messageSent("9c0d8e7f-0003-4bcd-9eee-000000000003", giver, "three"));
    expect(sent.map(({ message }) => message.payload.body)).toEqual([undefined]);
  });

  it("a push service that fails is tried again later for that browser alone, then given up", async () => {
    outcomes.push({ kind: "retry", status: 503, error: "push service answered 503" });
    const { scheduled } = await happen(messageSent(message1, giver, "Saturday at 10?"));
    expect(scheduled.map(({ key, dueAt }) => [key, dueAt])).toEqual([[`${giveawayId} ${endpoint}`, new Date(Date.parse(at) + 30_000).toISOString()]]);
    // Not yet due: nothing is sent again.
    kit.clock.advance(29_000);
    expect(await kit.wakeDue()).toEqual([]);
    kit.clock.advance(1000);
    outcomes.push({ kind: "retry", error: "no answer within 5000 ms" });
    expect(await kit.wakeDue()).toEqual([`${giveawayId} ${endpoint}`]);
    expect(kit.wakeUps().map(({ dueAt }) => dueAt)).toEqual([new Date(Date.parse(at) + 30_000 + 120_000).toISOString()]);
    kit.clock.advance(120_000);
    outcomes.push({ kind: "retry", status: 500, error: "push service answered 500" });
    await kit.wakeDue();
    expect(sent).toHaveLength(3);
    expect(kit.wakeUps()).toEqual([]); // given up after the last wait
  });

  it("a retry that succeeds is done; a newer push of the same conversation replaces a waiting one", async () => {
    outcomes.push({ kind: "retry", status: 503, error: "push service answered 503" });
    await happen(messageSent(message1, giver, "one"));
    expect(kit.wakeUps()).toHaveLength(1);
    const { cancelled } = await happen(messageSent(message2, giver, "two"));
    expect(cancelled).toEqual([`${giveawayId} ${endpoint}`]);
    expect(kit.wakeUps()).toEqual([]);
    expect(sent.map(({ message }) => message.payload.body)).toEqual(["one", "two"]);
  });

  it("a 404 or 410 ends the subscription, and nothing waits", async () => {
    outcomes.push({ kind: "gone", status: 410 });
    await happen(messageSent(message1, giver, "one"));
    expect(ended).toEqual([endpoint]);
    expect(kit.wakeUps()).toEqual([]);
    await happen(messageSent(message2, giver, "two"));
    expect(sent).toHaveLength(1);
  });

  it("an event replayed after its TTL has passed is not pushed", async () => {
    const old = kit.giveawayEvent(giveawayId, messageSent(message1, giver, "old news"));
    history.push(old.event as GiveawayEvent);
    kit.clock.advance(25 * 3600_000);
    await kit.given([old]);
    expect(sent).toEqual([]);
  });
});

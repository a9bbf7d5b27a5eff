// The notification settings read model, given a user's events, then its rows (projectionKit.ts):
// settings default to all on, the newest change wins; push subscriptions stand until ended.
import { describe, expect, it } from "vitest";
import type { UserEvent } from "../../src/domain/events.ts";
import { notificationSettingsQueries } from "../../src/projections/notificationSettingsProjection.ts";
import { alice, bob } from "../domain/fixtures.ts";
import { byUser, given } from "./projectionKit.ts";
import { plus } from "./readModelEvents.ts";

const settingsChanged = (userId: string, push: boolean, email: boolean, preview: boolean, when: string): UserEvent => ({
  type: "NotificationSettingsChanged",
  data: { userId, push, email, preview, changedAt: when },
});
const key = `B${"A".repeat(86)}`;
const secret = "c2VjcmV0LXNlY3JldC0xNg";
const subscribed = (userId: string, endpoint: string, when: string, p256dh = key): UserEvent => ({
  type: "PushSubscribed",
  data: { userId, endpoint, p256dh, auth: secret, subscribedAt: when },
});
const unsubscribed = (userId: string, endpoint: string, reason: "user" | "gone" | "replaced", when: string): UserEvent => ({
  type: "PushUnsubscribed",
  data: { userId, endpoint, reason, unsubscribedAt: when },
});
const first = "https://push.example.invalid/send/first";
const second = "https://push.example.invalid/send/second";

describe("notification_settings", () => {
  it("a user who never chose has every notification on, with previews", () => {
    const models = given(byUser(settingsChanged(bob, false, false, false, plus(1))));
    expect(models.rows("notification_settings", { user_id: alice })).toEqual([]);
    expect(notificationSettingsQueries(models.db).notificationSettingsOf(alice)).toEqual({ push: true, email: true, preview: true });
  });

  it("the newest change is the setting, one row per user", () => {
    const models = given(byUser(settingsChanged(alice, false, true, true, plus(1))));
    models.and(byUser(settingsChanged(alice, true, false, false, plus(2))));
    expect(models.rows("notification_settings")).toEqual([{ user_id: alice, push: 1, email: 0, preview: 0, changed_at: plus(2) }]);
    expect(notificationSettingsQueries(models.db).notificationSettingsOf(alice)).toEqual({ push: true, email: false, preview: false });
  });

  it("a subscription stands until it is ended; subscribing the same endpoint again takes its new keys", () => {
    const newKey = `B${"Q".repeat(86)}`;
    const models = given(byUser(subscribed(alice, first, plus(1)), subscribed(alice, second, plus(2)), subscribed(bob, first, plus(3))));
    models.and(byUser(unsubscribed(alice, first, "gone", plus(4)), subscribed(alice, second, plus(5), newKey)));
    expect(models.rows("push_subscriptions")).toEqual([
      { endpoint: first, user_id: bob, p256dh: key, auth: secret, subscribed_at: plus(3) },
      { endpoint: second, user_id: alice, p256dh: newKey, auth: secret, subscribed_at: plus(5) },
    ]);
    expect(notificationSettingsQueries(models.db).pushSubscriptionsOf(alice)).toEqual([{ endpoint: second, p256dh: newKey, auth: secret, subscribedAt: plus(5) }]);
  });
});

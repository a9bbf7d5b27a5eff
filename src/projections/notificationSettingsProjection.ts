// Each user's notification settings and Web Push subscriptions, from their own stream: what the
// push and e-mail reactors look up before telling someone, and what GET /api/me/notifications shows.
//
// notification_settings: one row per user who ever changed them (no row: the defaults, all on).
//   user_id, push, email, preview (0/1), changed_at (ISO)
// push_subscriptions: one row per standing subscription.
//   endpoint (the push service's URL; one browser's), user_id, p256dh, auth (base64url), subscribed_at (ISO)
import type Database from "better-sqlite3";
import { defaultNotificationSettings, type NotificationSettings } from "../domain/notificationSettings.ts";
import type { StoredPushSubscription } from "../domain/pushSubscriptions.ts";
import type { Projection } from "./projection.ts";

export const notificationSettingsProjection = {
  name: "notification_settings",
  streams: ["user"],
  schema: `CREATE TABLE IF NOT EXISTS notification_settings (user_id TEXT PRIMARY KEY, push INTEGER NOT NULL, email INTEGER NOT NULL, preview INTEGER NOT NULL, changed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS push_subscriptions (endpoint TEXT NOT NULL, user_id TEXT NOT NULL, p256dh TEXT NOT NULL, auth TEXT NOT NULL, subscribed_at TEXT NOT NULL, PRIMARY KEY (user_id, endpoint));`,
  prepare(db) {
    const settings = db.prepare(
      `INSERT INTO notification_settings (user_id, push, email, preview, changed_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET push = excluded.push, email = excluded.email, preview = excluded.preview, changed_at = excluded.changed_at`,
    );
    const subscribe = db.prepare(
      `INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, subscribed_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth, subscribed_at = excluded.subscribed_at`,
    );
    const unsubscribe = db.prepare("DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint = ?");
    return (projected) => {
      if (projected.stream !== "user") return;
      const { event } = projected;
      switch (event.type) {
        case "NotificationSettingsChanged": {
          const { userId, push, email, preview, changedAt } = event.data;
          settings.run(userId, Number(push), Number(email), Number(preview), changedAt);
          return;
        }
        case "PushSubscribed": {
          const { userId, endpoint, p256dh, auth, subscribedAt } = event.data;
          subscribe.run(endpoint, userId, p256dh, auth, subscribedAt);
          return;
        }
        case "PushUnsubscribed":
          unsubscribe.run(event.data.userId, event.data.endpoint);
          return;
        default:
          return;
      }
    };
  },
  queries: notificationSettingsQueries,
} satisfies Projection;

export function notificationSettingsQueries(db: Database.Database) {
  const settingsOf = db.prepare<[string], { push: number; email: number; preview: number }>("SELECT push, email, preview FROM notification_settings WHERE user_id = ?");
  const subscriptionsOf = db.prepare<[string], StoredPushSubscription>(
    "SELECT endpoint, p256dh, auth, subscribed_at AS subscribedAt FROM push_subscriptions WHERE user_id = ? ORDER BY subscribed_at, endpoint",
  );
  const anySubscription = db.prepare<[], { found: number }>("SELECT 1 AS found FROM push_subscriptions LIMIT 1");
  return {
    /** Whether anybody at all has a push subscription (when nobody has, there is nothing to decide). */
    anyPushSubscription: (): boolean => anySubscription.get() !== undefined,
    /** The user's settings; the defaults (all on) when they never changed them. */
    notificationSettingsOf(userId: string): NotificationSettings {
      const row = settingsOf.get(userId);
      return row ? { push: row.push === 1, email: row.email === 1, preview: row.preview === 1 } : defaultNotificationSettings;
    },
    /** The user's standing Web Push subscriptions, oldest first. */
    pushSubscriptionsOf: (userId: string): StoredPushSubscription[] => subscriptionsOf.all(userId),
  };
}

// Web Push, put together (docs/notifications.md): the VAPID keys, the notification settings and
// subscriptions (written to the users' streams), and what the web-push reactor is made of.
import type { Config } from "../config.ts";
import type { EventStore } from "../eventstore/port.ts";
import type { LiveHub } from "../live/liveHub.ts";
import type { ReadModelQueries } from "./declaredParts.ts";
import { createPushSender } from "../push/pushSender.ts";
import { resolveVapidKeys, vapidSubject } from "../push/vapidKeys.ts";
import { giveawayStatesFromStore } from "../reactors/giveawayStates.ts";
import type { WebPushDeps } from "../reactors/webPushReactor.ts";
import { createNotificationPreferences, type NotificationPreferences } from "./notificationPreferences.ts";

/** The most a push service may take to answer one push; a dead one costs this, off every request's path. */
export const pushTimeoutMs = 5000;

export interface WebPush {
  /** Settings and subscriptions (the API's writes). */
  preferences: NotificationPreferences;
  /** What browsers subscribe with (GET /api/push/public-key). */
  publicKey: string;
  /** The web-push reactor's parts (declaredParts.ts). */
  reactor: WebPushDeps;
}

export function openWebPush(
  config: Config,
  parts: { store: EventStore; newId: () => string; now: () => Date; queries: ReadModelQueries; hub: Pick<LiveHub, "hasOpenStream"> },
): WebPush {
  const { store, newId, now, queries, hub } = parts;
  const outbound = { allowPrivate: config.outboundAllowPrivate };
  const vapid = resolveVapidKeys(config.push.vapidKeys, config.dataDir);
  const preferences = createNotificationPreferences({ store, newId, now, outbound });
  return {
    preferences,
    publicKey: vapid.publicKey,
    reactor: {
      giveawayStateAt: giveawayStatesFromStore(store),
      settingsOf: (userId) => queries.notificationSettingsOf(userId),
      subscriptionsOf: (userId) => queries.pushSubscriptionsOf(userId),
      anySubscription: () => queries.anyPushSubscription(),
      nameOf: (userId) => queries.userById(userId)?.username,
      hasOpenStream: (userId) => hub.hasOpenStream(userId),
      sender: createPushSender({ vapid, subject: vapidSubject(config.push.subject, config.publicOrigin), policy: outbound, timeoutMs: pushTimeoutMs }),
      endSubscription(userId, endpoint) {
        const id = newId();
        return preferences.unsubscribe(userId, endpoint, "gone", { actorId: "system:web-push", correlationId: id, causationId: id });
      },
      publicOrigin: config.publicOrigin,
    },
  };
}

// A user's notification settings and Web Push subscriptions, written to their own stream: read it,
// fold, decide (src/domain/notificationSettings.ts, pushSubscriptions.ts), append at the expected
// revision (read again on a conflict). The notification_settings read model follows through the
// subscription. A push endpoint must be one the outbound rule allows (src/outbound/).
import type { CommandContext } from "../domain/eventMetadata.ts";
import { parseUserEvent, type UserEvent } from "../domain/events.ts";
import { decideNotificationSettings, foldNotificationSettings, type NotificationSettings } from "../domain/notificationSettings.ts";
import { decideSubscribe, decideUnsubscribe, foldPushSubscriptions, pushKeysProblem, type PushSubscriptionKeys, type PushUnsubscribed } from "../domain/pushSubscriptions.ts";
import { userStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore, type ExpectedRevision } from "../eventstore/port.ts";
import { checkOutboundUrl, type OutboundPolicy } from "../outbound/outboundGuard.ts";

export type SubscribeOutcome = { ok: true; created: boolean } | { ok: false; code: "url_not_allowed" | "invalid_field"; message: string };

export interface NotificationPreferences {
  /** Changes what the user named; answers the settings that now stand. */
  changeSettings(userId: string, changes: Partial<NotificationSettings>, context: CommandContext): Promise<NotificationSettings>;
  /** `created`: a new endpoint (false: the same endpoint again, its keys updated if they changed). */
  subscribe(userId: string, subscription: { endpoint: string; keys: PushSubscriptionKeys }, context: CommandContext): Promise<SubscribeOutcome>;
  /** Nothing is written when the endpoint is not subscribed. */
  unsubscribe(userId: string, endpoint: string, reason: PushUnsubscribed["reason"], context: CommandContext): Promise<void>;
}

const maxAttempts = 4;

export function createNotificationPreferences(deps: { store: EventStore; newId: () => string; now: () => Date; outbound: OutboundPolicy }): NotificationPreferences {
  const { store, newId, now } = deps;

  async function streamOf(userId: string): Promise<{ events: UserEvent[]; expected: ExpectedRevision }> {
    try {
      const recorded = await store.readStream(userStream(userId));
      return { events: recorded.map((event) => parseUserEvent(event.type, event.data)), expected: recorded.at(-1)!.revision };
    } catch (error) {
      if (!hasErrorCode(error, "stream_not_found")) throw error;
      return { events: [], expected: "no_stream" };
    }
  }

  /** Read, decide, append; again from the read on a conflict. */
  async function write<T>(userId: string, decide: (events: UserEvent[]) => { events: UserEvent[]; answer: T }, context: CommandContext): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const { events, expected } = await streamOf(userId);
      const decision = decide(events);
      if (decision.events.length === 0) return decision.answer;
      const toAppend = decision.events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata: { ...context } }));
      try {
        await store.appendToStream(userStream(userId), toAppend, { expectedRevision: expected });
        return decision.answer;
      } catch (error) {
        if (!hasErrorCode(error, "wrong_expected_revision") || attempt >= maxAttempts) throw error;
      }
    }
  }

  return {
    changeSettings(userId, changes, context) {
      return write(
        userId,
        (events) => {
          const current = foldNotificationSettings(events);
          const decision = decideNotificationSettings({ type: "ChangeNotificationSettings", userId, changes, now: now() }, current);
          const recorded = decision.ok ? decision.events : [];
          const answer = recorded.length > 0 ? foldNotificationSettings(recorded) : current;
          return { events: recorded, answer };
        },
        context,
      );
    },
    async subscribe(userId, subscription, context) {
      const checked = checkOutboundUrl(subscription.endpoint, deps.outbound);
      if (!checked.ok) return { ok: false, code: "url_not_allowed", message: `endpoint: ${checked.reason}` };
      const problem = pushKeysProblem(subscription.keys);
      if (problem) return { ok: false, code: "invalid_field", message: problem };
      return write<SubscribeOutcome>(
        userId,
        (events) => {
          const decision = decideSubscribe({ type: "SubscribeToPush", userId, endpoint: subscription.endpoint, keys: subscription.keys, now: now() }, foldPushSubscriptions(events));
          return { events: decision.ok ? decision.events : [], answer: { ok: true, created: !decision.known } };
        },
        context,
      );
    },
    unsubscribe(userId, endpoint, reason, context) {
      return write(
        userId,
        (events) => {
          const decision = decideUnsubscribe({ type: "UnsubscribeFromPush", userId, endpoint, reason, now: now() }, foldPushSubscriptions(events));
          return { events: decision.ok ? decision.events : [], answer: undefined };
        },
        context,
      );
    },
  };
}

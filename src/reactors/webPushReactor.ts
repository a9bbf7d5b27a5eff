// Web Push: tells people about their conversations while no handoff page of theirs is open. Who is
// told what is the domain's (notificationRecipients.ts: muted conversations excluded), asked of the
// giveaway's fold as of the event; whether by push is the user's settings and whether a stream of
// theirs is open right now. Durable, from the end of the log (history is never pushed), at least once.
//
// Retries are stored wake-ups, one per conversation and browser: a push service that fails (no answer
// in time, 429, 5xx) delays only its own browser's pushes, never the batch, the other people or the
// log; a newer push to the same conversation and browser replaces a waiting one (as its Topic makes
// the push service do). After the last wait it is given up. A 404 or 410 ends the subscription with
// an event in the user's stream. A repeated delivery (mayRepeat) is sent again: the same Topic and
// event id make a second copy replace the first.
import { noticeEventTypes, noticesFor } from "../domain/notificationRecipients.ts";
import type { NotificationSettings } from "../domain/notificationSettings.ts";
import type { StoredPushSubscription } from "../domain/pushSubscriptions.ts";
import { componentLogger } from "../observability/logger.ts";
import { metrics } from "../observability/metrics.ts";
import { pushMessageFor, pushTtlSeconds, type PushMessage } from "../push/pushMessage.ts";
import type { PushSender } from "../push/pushSender.ts";
import type { GiveawayStateAt } from "./giveawayStates.ts";
import type { DurableContext, DurableReactor } from "./reactor.ts";

const log = componentLogger("web-push");

export const webPushName = "web-push";

/** The waits before each retry of one push (then it is given up): half a minute, 2 and 10 minutes. */
export const defaultPushRetryDelaysMs: readonly number[] = [30_000, 120_000, 600_000];

export interface WebPushDeps {
  giveawayStateAt: GiveawayStateAt;
  settingsOf(userId: string): NotificationSettings;
  subscriptionsOf(userId: string): readonly StoredPushSubscription[];
  /** Whether anybody has a subscription: when nobody has, no giveaway is folded to decide anything. */
  anySubscription(): boolean;
  /** A user's name as the pages show it. */
  nameOf(userId: string): string | undefined;
  /** Whether any handoff stream of the user's is open (a page, the API's streams). */
  hasOpenStream(userId: string): boolean;
  sender: PushSender;
  /** Records that the push service ended the subscription (404/410): PushUnsubscribed, reason "gone". */
  endSubscription(userId: string, endpoint: string): Promise<void>;
  publicOrigin: string | undefined;
  retryDelaysMs?: readonly number[];
}

/** A push waiting for its next try (the wake-up's payload). */
interface PendingPush {
  userId: string;
  endpoint: string;
  message: PushMessage;
  /** Tries failed so far. */
  failures: number;
}

export function webPushReactor(deps: WebPushDeps): DurableReactor {
  const retryDelaysMs = deps.retryDelaysMs ?? defaultPushRetryDelaysMs;
  /** The keys of the retries this process scheduled and has not seen through (the waiting gauge). */
  const waiting = new Set<string>();
  const setWaiting = (key: string, isWaiting: boolean) => {
    if (isWaiting) waiting.add(key);
    else waiting.delete(key);
    metrics.pushesWaiting.set(waiting.size);
  };

  /** One try; a failure worth another is stored as a wake-up under the conversation and browser's key. */
  async function attempt(push: PendingPush, context: DurableContext): Promise<void> {
    const key = `${push.message.payload.giveawayId} ${push.endpoint}`;
    const subscription = deps.subscriptionsOf(push.userId).find((each) => each.endpoint === push.endpoint);
    if (!subscription) {
      // Ended meanwhile (turned off, or gone): nothing to send to.
      context.cancel(key);
      setWaiting(key, false);
      return;
    }
    const outcome = await deps.sender.send(subscription, push.message);
    switch (outcome.kind) {
      case "sent":
        metrics.pushes.inc({ outcome: "sent" });
        context.cancel(key);
        setWaiting(key, false);
        return;
      case "gone":
        metrics.pushes.inc({ outcome: "gone" });
        context.cancel(key);
        setWaiting(key, false);
        await deps.endSubscription(push.userId, push.endpoint);
        return;
      case "failed":
        metrics.pushes.inc({ outcome: "failed" });
        context.cancel(key);
        setWaiting(key, false);
        log.warn({ userId: push.userId, status: outcome.status, error: outcome.error }, "push refused");
        return;
      case "retry": {
        const wait = retryDelaysMs[push.failures];
        if (wait === undefined) {
          metrics.pushes.inc({ outcome: "failed" });
          context.cancel(key);
          setWaiting(key, false);
          log.warn({ userId: push.userId, status: outcome.status, error: outcome.error, tries: push.failures + 1 }, "push given up");
          return;
        }
        metrics.pushes.inc({ outcome: "retried" });
        const next: PendingPush = { ...push, failures: push.failures + 1 };
        // A Retry-After longer than the wait is honoured, up to an hour.
        context.schedule(key, new Date(context.now().getTime() + Math.max(wait, Math.min(outcome.retryAfterMs ?? 0, 3_600_000))), next);
        setWaiting(key, true);
        log.info({ userId: push.userId, status: outcome.status, error: outcome.error, retryInMs: wait }, "push will be tried again");
        return;
      }
      default:
        return outcome satisfies never;
    }
  }

  /** Whether the user should get a push now: push on, and no stream of theirs open. */
  const wantsPush = (userId: string) => deps.settingsOf(userId).push && !deps.hasOpenStream(userId);

  return {
    name: webPushName,
    kind: "durable",
    firstStart: "end",
    canHandle: noticeEventTypes,
    // Nobody subscribed: no giveaway is folded, nothing is written per batch.
    quiet: () => !deps.anySubscription(),
    async handle(batch, context) {
      const pushes: PendingPush[] = [];
      if (!deps.anySubscription()) return;
      for (const projected of batch) {
        if (projected.stream !== "giveaway") continue;
        // Replayed after a long stop: past its TTL a push would be old news.
        if (context.now().getTime() - projected.recorded.created.getTime() > pushTtlSeconds * 1000) continue;
        const state = await deps.giveawayStateAt(projected.giveawayId, Number(projected.recorded.revision));
        for (const notice of noticesFor(state, projected.event)) {
          if (!wantsPush(notice.userId)) continue;
          const subscriptions = deps.subscriptionsOf(notice.userId);
          if (subscriptions.length === 0) continue;
          const senderName = notice.actorId === null ? null : (deps.nameOf(notice.actorId) ?? null);
          const message = pushMessageFor(notice, { eventId: projected.recorded.id, senderName, settings: deps.settingsOf(notice.userId), publicOrigin: deps.publicOrigin });
          for (const subscription of subscriptions) pushes.push({ userId: notice.userId, endpoint: subscription.endpoint, message, failures: 0 });
        }
      }
      // Side by side, each with its deadline: one slow push service never holds up the others.
      await Promise.all(pushes.map((push) => attempt(push, context)));
    },
    async wake(wakeUp, context) {
      const push = wakeUp.payload as PendingPush;
      if (!wantsPush(push.userId)) {
        // Turned off, or back on a page meanwhile: the page shows it.
        setWaiting(wakeUp.key, false);
        return;
      }
      await attempt(push, context);
    },
  };
}

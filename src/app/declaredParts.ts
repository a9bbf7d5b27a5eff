// Every part that follows the log, in the order it runs: the read models (one transaction per
// batch, in this order), then the reactors (live ones after each committed batch, in this order;
// durable ones each from its own checkpoint). openHandoff drives them from here.
//
// Recipe, a new reactor:
//   1. one file in src/reactors/ exporting a factory that returns a LiveReactor or DurableReactor
//      (src/reactors/reactor.ts): its name, the event types it reacts to, handle() and, for a
//      durable one that needs a timer, wake(); test it with test/reactors/reactorKit.ts;
//   2. one line in declaredReactors() below, taking what it needs from ReactorParts (add a field
//      there if it needs something new from openHandoff).
// Live: only this process's requests and open streams care (nothing to redo after a restart).
// Durable: an effect that must happen at least once, even across a crash (its handler must then be
// idempotent when `mayRepeat`); its state is DATA_DIR/reactors.db, operated with `npm run reactors`.
//
// Recipe, a new read model:
//   1. one file in src/projections/ exporting `{ name, schema, prepare, queries } satisfies Projection`
//      (src/projections/projection.ts): its tables, how an event changes them, what it answers;
//      test it with test/projections/projectionKit.ts (given events, then rows);
//   2. one line in declaredReadModels below, after the read models it reads. Its queries join
//      ReadModelQueries by themselves; raise readModelVersion if existing tables change shape.
import type { Config } from "../config.ts";
import type { EventStore } from "../eventstore/port.ts";
import { blocksProjection } from "../projections/blocksProjection.ts";
import { conversationProjection } from "../projections/conversationProjection.ts";
import { giveawaysProjection } from "../projections/giveawaysProjection.ts";
import { inboxProjection } from "../projections/inboxProjection.ts";
import { moderatorsProjection } from "../projections/moderatorsProjection.ts";
import { notificationSettingsProjection } from "../projections/notificationSettingsProjection.ts";
import { pickupProjection } from "../projections/pickupProjection.ts";
import type { Projection, ProjectedEvent, QueriesOf } from "../projections/projection.ts";
import { ratingsProjection } from "../projections/ratingsProjection.ts";
import { reportsProjection } from "../projections/reportsProjection.ts";
import { sessionsProjection } from "../projections/sessionsProjection.ts";
import { suspensionsProjection } from "../projections/suspensionsProjection.ts";
import { timelineProjection } from "../projections/timelineProjection.ts";
import { usersProjection } from "../projections/usersProjection.ts";
import { hubFanOutReactor } from "../reactors/hubFanOutReactor.ts";
import { pickupRemindersReactor, proposalStartFromStore, type ReminderCommands } from "../reactors/pickupRemindersReactor.ts";
import type { DurableReactor, LiveReactor, Reactor } from "../reactors/reactor.ts";
import { readYourWritesReactor } from "../reactors/readYourWritesReactor.ts";
import { sessionEndsReactor } from "../reactors/sessionEndsReactor.ts";
import { webhookOutboxReactor, type WebhookOutboxDeps } from "../reactors/webhookOutboxReactor.ts";
import { webPushReactor, type WebPushDeps } from "../reactors/webPushReactor.ts";

/** The read models, in the order each batch applies them (the inbox reads what giveaways and the conversation wrote before it). */
export const declaredReadModels = [
  usersProjection,
  giveawaysProjection,
  pickupProjection,
  conversationProjection,
  timelineProjection,
  inboxProjection,
  sessionsProjection,
  blocksProjection,
  reportsProjection,
  moderatorsProjection,
  suspensionsProjection,
  ratingsProjection,
  notificationSettingsProjection,
] as const satisfies readonly Projection[];

/** Everything the read models answer, as the routes, pages and reactors see it. */
export type ReadModelQueries = QueriesOf<typeof declaredReadModels>;

/** What the reactors are made of: openHandoff's parts. */
export interface ReactorParts {
  config: Config;
  store: EventStore;
  /** The application's command handler. */
  commands: ReminderCommands;
  newId(): string;
  readYourWrites: { applied(events: readonly ProjectedEvent[]): void };
  sessionEnds: { applied(events: readonly ProjectedEvent[]): void };
  /** The live hub's fan-out to open streams. */
  publish(applied: ProjectedEvent[]): void;
  /** The platform's webhook endpoints, the delivery records and the guarded sender. */
  webhookOutbox: WebhookOutboxDeps;
  /** Web Push: settings, subscriptions, open streams and the guarded sender (src/app/webPush.ts). */
  webPush: WebPushDeps;
  /** E-mail digests and verification mails (src/app/emailServices.ts): none without SMTP_URL. */
  emailReactors: readonly DurableReactor[];
}

/** Live ones in the order they run after a batch: the answers waiting on a write and session ends go first, in the commit's turn; the hub's fan-out after them. */
export function declaredReactors(parts: ReactorParts): Reactor[] {
  return [
    readYourWritesReactor(parts.readYourWrites),
    sessionEndsReactor(parts.sessionEnds),
    hubFanOutReactor(parts.publish),
    pickupRemindersReactor({ commands: parts.commands, proposalStart: proposalStartFromStore(parts.store), newId: parts.newId, leadMs: parts.config.pickup.reminderLeadMs }),
    webhookOutboxReactor(parts.webhookOutbox),
    webPushReactor(parts.webPush),
    ...parts.emailReactors,
  ];
}

export function liveReactors(reactors: readonly Reactor[]): LiveReactor[] {
  return reactors.filter((reactor): reactor is LiveReactor => reactor.kind === "live");
}

export function durableReactors(reactors: readonly Reactor[]): DurableReactor[] {
  return reactors.filter((reactor): reactor is DurableReactor => reactor.kind === "durable");
}

// The application, put together once: store, read models, projection runner, live hub, commands.
import { randomInt, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import type { Config } from "../config.ts";
import { openEmbeddedEventStore } from "../eventstore/openEventStore.ts";
import { instrumentEventStore } from "../eventstore/instrumentedStore.ts";
import { hasErrorCode, type EventStore } from "../eventstore/port.ts";
import { giveawayStream } from "../domain/streams.ts";
import { blobFolderName, folderBlobStore, type BlobStore } from "../attachments/blobStore.ts";
import { LiveHub } from "../live/liveHub.ts";
import { startPresenceSignals, type PresenceSignals } from "../live/presenceSignals.ts";
import { storeTypingSignals } from "../live/storeTypingSignals.ts";
import { componentLogger, errorFields } from "../observability/logger.ts";
import { createOpenStreams, type OpenStreams } from "../live/openStreams.ts";
import type { ProjectionRunner } from "../projections/projectionRunner.ts";
import { openServingReadModels } from "../projections/swappableReadModels.ts";
import { createReadYourWrites, type ReadYourWrites } from "../projections/readYourWrites.ts";
import { suspensionHolds } from "../domain/moderators.ts";
import { createModeration, type Moderation } from "./moderation.ts";
import { claimReadModelSlot } from "../scale/readModelSlot.ts";
import { runLiveReactors } from "../reactors/liveReactors.ts";
import { startDurableReactorRunner, type DurableReactorRunner } from "../reactors/durableReactorRunner.ts";
import { reactorStateFile } from "../reactors/reactorState.ts";
import { declaredReactors, declaredReadModels, durableReactors, liveReactors, type ReadModelQueries } from "./declaredParts.ts";
import { openAbuseLimits, type AbuseLimits } from "./abuseLimits.ts";
import { createGiveawayCommandHandler, type GiveawayCommandHandler } from "./giveawayCommandHandler.ts";
import { resolveJwtSecret } from "./jwtSecret.ts";
import { createLifecycle, type Lifecycle } from "./lifecycle.ts";
import { createPasswordHasher } from "./passwordHash.ts";
import { createPlatformSignIn, type PlatformSignIn } from "./platformSignIn.ts";
import { createPlatformTokenVerifier } from "./platformTokens.ts";
import { createPlatformUsers, type PlatformUsers } from "./platformUsers.ts";
import { createSignInLinks, type SignInLinks } from "./signInLinks.ts";
import { createIdempotentAnswers, type IdempotentAnswers } from "./idempotency.ts";
import { createServiceKeys, type ServiceKeys } from "./serviceKeys.ts";
import { createSessionEnds, type SessionEnds } from "./sessionEnds.ts";
import { createTokenService, type SessionLedger, type TokenService } from "./tokens.ts";
import { createUserAccounts, type UserAccounts } from "./userAccounts.ts";
import { createUserBlocks, type UserBlocks } from "./blocks.ts";
import { createUserAvatars, type UserAvatars } from "./avatars.ts";
import { createReadModelFreshness, type ReadModelFreshness } from "./readModelFreshness.ts";
import type { WebhookEndpoints } from "./webhookEndpoints.ts";
import { openWebhooks } from "./webhooks.ts";
import type { NotificationPreferences } from "./notificationPreferences.ts";
import { openWebPush } from "./webPush.ts";
import { openEmail, type Email } from "./emailServices.ts";

export type { ReadModelQueries };

export interface Handoff {
  config: Config;
  store: EventStore;
  /** The read models' current handle: read it at each use (an online rebuild swaps the file under it). */
  readonly readDb: Database.Database;
  queries: ReadModelQueries;
  runner: ProjectionRunner;
  hub: LiveHub;
  /** This process among the others serving the same store (presence announcements name it). */
  instanceId: string;
  /** Lets a request that just wrote wait until the read models show its write. */
  readYourWrites: ReadYourWrites;
  /** The giveaway stream's newest revision in the store (-1: no such stream), whatever the read models show yet. */
  storedRevision(giveawayId: string): Promise<number>;
  commands: GiveawayCommandHandler;
  /** Attachment bytes by SHA-256. */
  blobs: BlobStore;
  accounts: UserAccounts;
  /** Moderators' actions and the operator's grants (moderation.ts). */
  moderation: Moderation;
  /** Who blocked whom, written to the blockers' streams (the blocks read model follows). */
  blocks: UserBlocks;
  /** People's own photos, written to their streams (the users read model follows). */
  avatars: UserAvatars;
  tokens: TokenService;
  /** Platform users (named by its backend or signed in with its tokens); its sign-in when configured. */
  platform: { users: PlatformUsers; signIn: PlatformSignIn | undefined; links: SignInLinks | undefined };
  /** The platform backend's keys to /api/platform, checked against the store on every call. */
  serviceKeys: ServiceKeys;
  /** The first answer to each of the platform's Idempotency-Keys, replayed to its retries. */
  idempotentAnswers: IdempotentAnswers;
  /** The platform's webhook endpoints (their deliveries are the webhook-outbox reactor's). */
  webhooks: WebhookEndpoints;
  /** Each user's notification settings and Web Push subscriptions, in their stream. */
  notifications: NotificationPreferences;
  /** The VAPID public key browsers subscribe with. */
  pushPublicKey: string;
  /** E-mail: addresses (users' streams), digests and verification (durable reactors), replies by e-mail. */
  email: Email;
  /** Streams end when the session they were opened with ends. */
  sessionEnds: SessionEnds;
  now: () => Date;
  newId: () => string;
  /** Uniform index in [0, n): the draw's randomness. */
  pick: (n: number) => number;
  /** Serving or shutting down: health checks and the HTTP server read it. */
  lifecycle: Lifecycle;
  /** The open live streams, which a shutdown ends with a reconnect hint. */
  openStreams: OpenStreams;
  /** Rate limits and the open-stream cap, shared by every process on the data dir. */
  limits: AbuseLimits;
  /** Before a read is refused on what the read models lack: catch them up to the log's head (bounded). */
  freshness: ReadModelFreshness;
  close(): Promise<void>;
}

export interface HandoffOverrides {
  store?: EventStore;
  now?: () => Date;
  newId?: () => string;
  pick?: (n: number) => number;
  blobs?: BlobStore;
}

export function openHandoff(config: Config, overrides: HandoffOverrides = {}): Handoff {
  const now = overrides.now ?? (() => new Date());
  const newId = overrides.newId ?? (() => randomUUID());
  const pick = overrides.pick ?? ((n: number) => randomInt(n));
  const store = instrumentEventStore(overrides.store ?? openEmbeddedEventStore(config));
  mkdirSync(config.dataDir, { recursive: true });
  // Each process projects into read models of its own (docs/scaling.md says why).
  const slot = claimReadModelSlot(config.dataDir);
  // Behind one holder: `npm run rebuild` can swap a rebuilt file in while this process serves
  // (swappableReadModels.ts); queries and the runner stay the same objects across a swap.
  const readModels = openServingReadModels({
    store,
    dataDir: config.dataDir,
    file: slot.file,
    projections: declaredReadModels,
    onApplied(applied, caughtUp) {
      // In the commit's turn: the answers waiting on this batch, then session ends; the hub's
      // fan-out one turn later when live, in line while catching up (hubFanOutReactor.ts).
      runLiveReactors(live, applied, { caughtUp });
    },
    onFailure() {
      if (readYourWritesStopped()) readYourWrites.close();
    },
    onSwapped(db) {
      readYourWrites.useDatabase(db);
    },
  });
  const { queries, runner } = readModels;
  const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const limits = openAbuseLimits(config.rateLimits, config.dataDir, instanceId);
  let presenceSignals: PresenceSignals | undefined;
  const sessions: SessionLedger = {
    hasEnded: (identity) => queries.sessionHasEnded(identity.userId, identity.sessionId, identity.sessionStartedAt),
    isSuspended: (userId) => suspensionHolds(queries.suspensionOf(userId), now()),
  };
  const sessionEnds = createSessionEnds(sessions);
  const platformUsers = createPlatformUsers({ store, newId, now });
  const accounts = createUserAccounts({ store, newId, now, passwords: createPasswordHasher(config.passwordCost, { maxWaiting: config.passwordHashQueue }), sessionTtlSeconds: config.tokenTtlSeconds });
  const platformSignIn = config.platform && createPlatformSignIn(createPlatformTokenVerifier(config.platform, () => now().getTime()), platformUsers, sessions, (position) =>
    runner.status().every((projection) => projection.failure !== undefined || (projection.position ?? -1n) >= position),
  );
  // Typing crosses processes through the store, like presence.
  const typingSignals = storeTypingSignals({
    store,
    instanceId,
    onError: (error) => componentLogger("typing").warn({ ...errorFields(error), instanceId }, "typing signal failed"),
  });
  const hub = new LiveHub({
    typingSignals,
    messageAtRevision: queries.messageAtRevision,
    participantsOf(giveawayId) {
      const giveaway = queries.giveawayById(giveawayId);
      return giveaway && { giverId: giveaway.giverId, winnerId: giveaway.winnerId, title: giveaway.title };
    },
    unreadFor(userId, giveawayId) {
      const entry = queries.inboxEntry(userId, giveawayId);
      return { unreadCount: entry?.unreadCount ?? 0, unreadTotal: queries.unreadTotal(userId) };
    },
    onLocalPresence(giveawayId, userId, online) {
      if (online) presenceSignals?.load(giveawayId);
      presenceSignals?.localChanged(giveawayId, userId, online);
    },
    timelineAt: queries.timelineAt,
    lastActiveAt: queries.lastActiveAt,
  });
  // Read-your-writes rides on the giveaways projection: while it is stopped, nobody waits for it.
  const readYourWritesStopped = () => runner.failureOf("giveaways") !== undefined || runner.fatalError() !== undefined;
  const readYourWrites = createReadYourWrites(readModels.db, 5000, () => readYourWritesStopped());
  const commands = createGiveawayCommandHandler({ store, newId });
  // Everything that follows the log, in the order it runs (declaredParts.ts).
  const webhooks = openWebhooks(config, { store, newId, now });
  const webPush = openWebPush(config, { store, newId, now, queries, hub });
  const blobs = overrides.blobs ?? folderBlobStore(join(config.dataDir, blobFolderName));
  const email = openEmail(config, { store, queries, commands, blobs, limits, notifications: webPush.preferences, newId, now });
  const reactors = declaredReactors({ config, store, commands, newId, readYourWrites, sessionEnds, publish: (applied) => hub.publish(applied), webhookOutbox: webhooks.outbox, webPush: webPush.reactor, emailReactors: email.reactors });
  const live = liveReactors(reactors);
  // Durable reactors (pickup reminders, ...) run from their own checkpoints in DATA_DIR/reactors.db,
  // each in one process at a time, whatever the read models of this process show. They start once
  // the log is caught up (below), so a store that cannot be reached is reported by the runner alone.
  let durableRunner: DurableReactorRunner | undefined;
  // Started here, as before the holder: after everything its batches reach is in place.
  void readModels.start();
  // Presence follows the store once the log is caught up: before that nobody is connected, and a
  // store that cannot be reached is reported (and retried) by the runner alone.
  let closing = false;
  runner.caughtUp.then(
    () => {
      if (closing) return;
      durableRunner = startDurableReactorRunner({ store, file: reactorStateFile(config.dataDir), reactors: durableReactors(reactors), holder: instanceId, now });
      webhooks.startGauges();
      email.start();
      typingSignals.start();
      presenceSignals = startPresenceSignals({
        store,
        board: hub.presence,
        instanceId,
        refreshMs: config.presenceRefreshMs,
        now: () => now().getTime(),
        onError: (error) => componentLogger("presence").warn({ ...errorFields(error), instanceId }, "presence signal failed"),
      });
    },
    () => {},
  );
  return {
    config,
    store,
    get readDb() {
      return readModels.db;
    },
    queries,
    runner,
    hub,
    instanceId,
    readYourWrites,
    async storedRevision(giveawayId) {
      try {
        const [newest] = await store.readStream(giveawayStream(giveawayId), { direction: "backwards", maxCount: 1 });
        return newest ? Number(newest.revision) : -1;
      } catch (error) {
        if (hasErrorCode(error, "stream_not_found")) return -1;
        throw error;
      }
    },
    commands,
    accounts,
    moderation: createModeration({ store, newId, now }),
    blocks: createUserBlocks({ store, newId, now }),
    avatars: createUserAvatars({ store, newId }),
    tokens: createTokenService(resolveJwtSecret(config.jwtSecret, config.dataDir), sessions),
    platform: { users: platformUsers, signIn: platformSignIn, links: platformSignIn && createSignInLinks({ store, newId, now, signIn: platformSignIn, accounts, isSuspended: sessions.isSuspended }) },
    serviceKeys: createServiceKeys({ store, newId, now }),
    idempotentAnswers: createIdempotentAnswers({ store, newId, now }),
    webhooks: webhooks.endpoints,
    notifications: webPush.preferences,
    pushPublicKey: webPush.publicKey,
    email,
    sessionEnds,
    blobs,
    now,
    newId,
    pick,
    lifecycle: createLifecycle(),
    openStreams: createOpenStreams(),
    limits,
    freshness: createReadModelFreshness({ store, runner, timeoutMs: config.readCatchUpTimeoutMs }),
    async close() {
      closing = true;
      await durableRunner?.close();
      await email.close();
      webhooks.close();
      await presenceSignals?.stop();
      await typingSignals.stop();
      await runner.stop();
      for (const reactor of live) reactor.flush?.();
      hub.flush();
      readYourWrites.close();
      await store.close();
      await readModels.close();
      limits.close();
      slot.release();
    },
  };
}

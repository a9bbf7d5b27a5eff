// Presence between processes, through the event store and nothing else: each process announces
// its own users' comings and goings as short-lived events in `presence-<giveawayId>` (stream
// metadata $maxAge / $maxCount keeps them short-lived on both adapters), renews them while they
// stay, and follows every other process's announcements with one subscription from the end.
// These streams are never part of a conversation's history.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { EventStore, RecordedEvent, Subscription } from "../eventstore/port.ts";
import type { PresenceBoard } from "./presenceBoard.ts";

export const presenceStreamPrefix = "presence-";
export const presenceStreamOf = (giveawayId: string) => `${presenceStreamPrefix}${giveawayId}`;
const presenceEventType = "PresenceAnnounced";
/** Enough to hold the latest announcement of every process and user of one conversation. */
const presenceMaxCount = 200;

const AnnouncementSchema = z.object({ userId: z.string(), instanceId: z.string(), online: z.boolean(), ttlMs: z.number().int().positive() });

export interface PresenceSignalsOptions {
  store: EventStore;
  board: PresenceBoard;
  instanceId: string;
  /** How often a process renews its users' presence; an announcement lasts three of these. */
  refreshMs: number;
  now: () => number;
  onError(error: unknown): void;
}

export interface PresenceSignals {
  /** The board calls this when this process's own count flips. */
  localChanged(giveawayId: string, userId: string, online: boolean): void;
  /** Reads a conversation's current announcements once, when this process first has a user in it. */
  load(giveawayId: string): void;
  /** Announces this process's users offline and stops. */
  stop(): Promise<void>;
}

export function startPresenceSignals(options: PresenceSignalsOptions): PresenceSignals {
  const { store, board, instanceId, refreshMs } = options;
  const ttlMs = refreshMs * 3;
  const withMetadata = new Set<string>();
  const loaded = new Set<string>();
  let stopped = false;

  async function append(giveawayId: string, changes: { userId: string; online: boolean }[]) {
    const streamId = presenceStreamOf(giveawayId);
    if (!withMetadata.has(streamId)) {
      await store.setStreamMetadata(streamId, { maxAge: Math.max(1, Math.ceil(ttlMs / 1000)), maxCount: presenceMaxCount });
      withMetadata.add(streamId);
    }
    await store.appendToStream(
      streamId,
      changes.map(({ userId, online }) => ({ id: randomUUID(), type: presenceEventType, data: { userId, instanceId, online, ttlMs } })),
    );
  }

  const send = (giveawayId: string, changes: { userId: string; online: boolean }[]) => append(giveawayId, changes).catch(options.onError);

  /** An announcement read back: live ones count from when they arrive, loaded ones from when they were written. */
  function apply(recorded: RecordedEvent, since: number) {
    if (recorded.type !== presenceEventType || !recorded.streamId.startsWith(presenceStreamPrefix)) return;
    const parsed = AnnouncementSchema.safeParse(recorded.data);
    if (!parsed.success || parsed.data.instanceId === instanceId) return;
    const giveawayId = recorded.streamId.slice(presenceStreamPrefix.length);
    const { userId, online } = parsed.data;
    board.announce({ giveawayId, userId, instanceId: parsed.data.instanceId, online, expiresAt: since + parsed.data.ttlMs }, options.now());
  }

  const subscription: Subscription = store.subscribeToAll({ from: "end", streamPrefixes: [presenceStreamPrefix] });
  const following = (async () => {
    for await (const item of subscription) if (item.kind === "event") apply(item.event, options.now());
  })().catch((error) => {
    if (!stopped) options.onError(error);
  });

  const renew = setInterval(() => {
    for (const [giveawayId, users] of board.localOnline()) void send(giveawayId, users.map((userId) => ({ userId, online: true })));
  }, refreshMs);
  renew.unref();
  const sweep = setInterval(() => board.sweep(options.now()), Math.max(50, Math.floor(refreshMs / 2)));
  sweep.unref();

  return {
    localChanged(giveawayId, userId, online) {
      if (!stopped) void send(giveawayId, [{ userId, online }]);
    },

    load(giveawayId) {
      if (loaded.has(giveawayId)) return;
      loaded.add(giveawayId);
      store.readStream(presenceStreamOf(giveawayId)).then(
        (events) => {
          for (const event of events) apply(event, event.created.getTime());
        },
        (error: unknown) => {
          loaded.delete(giveawayId);
          if ((error as { code?: string }).code !== "stream_not_found") options.onError(error);
        },
      );
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(renew);
      clearInterval(sweep);
      const leaving = [...board.localOnline()].map(([giveawayId, users]) => append(giveawayId, users.map((userId) => ({ userId, online: false }))));
      await Promise.allSettled(leaving);
      await subscription.stop();
      await following;
    },
  };
}

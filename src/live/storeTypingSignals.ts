// "Someone is typing" between processes, through the event store and nothing else: each signal is
// also appended to a short-lived `typing-<giveawayId>` stream ($maxAge / $maxCount, like presence),
// and every process follows the others' signals with one subscription from the end. These streams
// are never part of a conversation's history, and nothing projects them.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { EventStore, Subscription } from "../eventstore/port.ts";
import { typingSignalMs, type TypingSignal, type TypingSignals } from "./typingSignals.ts";

export const typingStreamPrefix = "typing-";
export const typingStreamOf = (giveawayId: string) => `${typingStreamPrefix}${giveawayId}`;
const typingEventType = "TypingSignalled";
/** A signal is stale after typingSignalMs; the store may drop it soon after. */
const typingMaxAgeSeconds = Math.ceil((typingSignalMs * 2) / 1000);
const typingMaxCount = 50;

const SignalSchema = z.object({ userId: z.string(), username: z.string(), until: z.string(), instanceId: z.string() });

export interface StoreTypingSignalsOptions {
  store: EventStore;
  instanceId: string;
  onError(error: unknown): void;
}

export interface StoreTypingSignals extends TypingSignals {
  /** Follows the other processes' signals (once the log is caught up). */
  start(): void;
  stop(): Promise<void>;
}

export function storeTypingSignals(options: StoreTypingSignalsOptions): StoreTypingSignals {
  const { store, instanceId } = options;
  const listeners = new Set<(signal: TypingSignal) => void>();
  const withMetadata = new Set<string>();
  let subscription: Subscription | undefined;
  let following: Promise<void> = Promise.resolve();
  let stopped = false;

  const deliver = (signal: TypingSignal) => {
    for (const listener of [...listeners]) listener(signal);
  };

  async function append(signal: TypingSignal) {
    const streamId = typingStreamOf(signal.giveawayId);
    if (!withMetadata.has(streamId)) {
      await store.setStreamMetadata(streamId, { maxAge: typingMaxAgeSeconds, maxCount: typingMaxCount });
      withMetadata.add(streamId);
    }
    const { userId, username, until } = signal;
    await store.appendToStream(streamId, [{ id: randomUUID(), type: typingEventType, data: { userId, username, until, instanceId } }]);
  }

  return {
    publish(signal) {
      deliver(signal); // this process's listeners at once; the others through the store
      if (!stopped) append(signal).catch(options.onError);
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    start() {
      if (subscription || stopped) return;
      const current = store.subscribeToAll({ from: "end", streamPrefixes: [typingStreamPrefix] });
      subscription = current;
      following = (async () => {
        for await (const item of current) {
          if (item.kind !== "event" || item.event.type !== typingEventType) continue;
          const parsed = SignalSchema.safeParse(item.event.data);
          if (!parsed.success || parsed.data.instanceId === instanceId) continue;
          const { userId, username, until } = parsed.data;
          deliver({ giveawayId: item.event.streamId.slice(typingStreamPrefix.length), userId, username, until });
        }
      })().catch((error) => {
        if (!stopped) options.onError(error);
      });
    },

    async stop() {
      stopped = true;
      await subscription?.stop();
      await following;
    },
  };
}

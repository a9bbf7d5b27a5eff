// The EventStoreDB adapter: the port spoken over gRPC with @eventstore/db-client (v6).
// Only the esdb*.ts files import the client; everything it returns is the port's shape, with bigint revisions/positions.
import { BACKWARDS, END, EventStoreDBClient, FORWARDS, START, excludeSystemEvents, streamNameFilter } from "@eventstore/db-client";
import type { AllStreamResolvedEvent, Filter, Position, ReadPosition, ReadRevision, ResolvedEvent, StreamingRead } from "@eventstore/db-client";
import { isStreamNotFound, noop, translateAppendError, translateError } from "./esdbErrors.ts";
import { isSystemEvent, isSystemType, matchesPrefixes, sameEvents, toAppendExpected, toEventData, toRecordedEvent, validPosition } from "./esdbEvents.ts";
import { filteredReadAllRequest, readAllFiltered } from "./esdbFilteredRead.ts";
import { ResilientSubscription, type ResilienceOptions, type SubscriptionSource } from "./esdbSubscription.ts";
import { componentLogger, type Logger } from "../observability/logger.ts";
import {
  checkBatch,
  checkStreamMetadata,
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamMetadata,
  type RecordedEvent,
  type Subscription,
  type SubscriptionStart,
} from "./port.ts";

/** Where a catch-up subscription resumes; exclusive, like ESDB's own fromRevision/fromPosition. */
type StreamCheckpoint = typeof START | bigint;
type AllCheckpoint = typeof START | Position;

/** Reads a client stream to the end (or until `take` says stop), cancelling the gRPC call if cut short. */
async function collect<E>(read: StreamingRead<E>, take: (item: E) => boolean): Promise<void> {
  let cutShort = false;
  try {
    for await (const item of read) {
      if (!take(item)) {
        cutShort = true;
        break;
      }
    }
  } finally {
    if (cutShort) void read.cancel().catch(noop);
  }
}

export interface EsdbStoreOptions {
  /** A client stand-in, for tests. Default: one made from the connection string. */
  client?: EventStoreDBClient;
  log?: Logger;
  /** Never reached the server within this: subscriptions (and so start-up) stop with a clear error. Default 60 s. */
  connectTimeoutMs?: number;
  /** No caught-up signal and nothing new for this long: stop with a clear error (old servers). Default 30 s. */
  catchUpIdleTimeoutMs?: number;
}

/** The hosts of a connection string, without user, password or options: safe to log. */
export function serversOf(connectionString: string): string {
  const match = /^esdb(?:\+discover)?:\/\/(?:[^@/]*@)?([^/?]*)/.exec(connectionString);
  return match?.[1] ?? "(unparsable connection string)";
}

export function createEsdbEventStore(connectionString: string, options: EsdbStoreOptions = {}): EventStore {
  const log = options.log ?? componentLogger("eventstore");
  const client = options.client ?? EventStoreDBClient.connectionString(connectionString);
  log.info({ servers: serversOf(connectionString) }, "using EventStoreDB");
  const resilience = (what: string): ResilienceOptions => ({
    log,
    what,
    connectTimeoutMs: options.connectTimeoutMs ?? 60_000,
    catchUpIdleTimeoutMs: options.catchUpIdleTimeoutMs ?? 30_000,
  });
  const subscriptions = new Set<Subscription>();
  let closed = false;

  /**
   * What an acknowledged append did. The server's answer only says "deduplicated" when it carries no
   * position (servers that report idempotent writes without one); newer servers report the stored
   * events' position either way. So the stored events are read back: if they differ from the batch
   * (same ids, other content) the batch was deduplicated; if they equal it, "written" is reported,
   * which may also be an identical earlier append: indistinguishable, and harmless to the caller.
   */
  async function settleAppend(streamId: string, events: EventToAppend[], last: bigint, reported: bigint | undefined): Promise<AppendResult> {
    const stored: RecordedEvent[] = [];
    const first = last - BigInt(events.length - 1);
    await collect(client.readStream(streamId, { direction: FORWARDS, fromRevision: first, maxCount: events.length }), (resolved) => {
      if (resolved.event && !resolved.link) stored.push(toRecordedEvent(resolved.event, resolved.commitPosition));
      return stored.length < events.length;
    });
    const position = reported ?? stored.at(-1)?.position;
    if (position === undefined || stored.length !== events.length) throw new Error(`the appended events at ${first}..${last} were not found`);
    const outcome = reported !== undefined && sameEvents(events, stored) ? "written" : "deduplicated";
    return { nextExpectedRevision: last, position, outcome };
  }

  /** The stream's current last revision, as a subscription checkpoint ("start" when it has none yet). */
  async function streamEnd(streamId: string): Promise<StreamCheckpoint> {
    let last: StreamCheckpoint = START;
    try {
      await collect(client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }), (resolved) => {
        const raw = resolved.link ?? resolved.event;
        if (raw) last = raw.revision;
        return false;
      });
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    return last;
  }

  /** The position of the last record in $all, as a subscription checkpoint. */
  async function allEnd(): Promise<AllCheckpoint> {
    let last: AllCheckpoint = START;
    await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }), (resolved) => {
      const raw = resolved.link ?? resolved.event;
      if (raw?.position) last = raw.position;
      return false;
    });
    return last;
  }

  /** Resolves "end" right away so a resubscription knows exactly where it began. */
  function lazyCheckpoint<C>(from: SubscriptionStart, initial: (from: "start" | { after: bigint }) => C, lookupEnd: () => Promise<C>) {
    let checkpoint: C | undefined = from === "end" ? undefined : initial(from);
    let pending: Promise<C> | undefined;
    if (from === "end") {
      pending = lookupEnd();
      pending.catch(noop);
    }
    return {
      async get(): Promise<C> {
        if (checkpoint === undefined) {
          const lookup = pending ?? lookupEnd();
          pending = undefined;
          checkpoint = await lookup;
        }
        return checkpoint;
      },
      set(value: C) {
        checkpoint = value;
      },
    };
  }

  function track<E>(what: string, source: SubscriptionSource<E>): Subscription {
    const subscription: Subscription = new ResilientSubscription(source, () => subscriptions.delete(subscription), resilience(what));
    subscriptions.add(subscription);
    if (closed) void subscription.stop();
    return subscription;
  }

  const store: EventStore = {
    async appendToStream(streamId, events, options = {}): Promise<AppendResult> {
      checkBatch(streamId, events);
      const expected = options.expectedRevision ?? "any";
      const eventData = events.map((event) => toEventData(streamId, event));
      let result;
      try {
        result = await client.appendToStream(streamId, eventData, { expectedRevision: toAppendExpected(expected) });
      } catch (error) {
        throw translateAppendError(error, streamId, expected);
      }
      // With throwOnAppendFailure=false in the connection string a conflict comes back as success: false.
      if (!result.success) {
        const actual = result.nextExpectedRevision >= 0n ? result.nextExpectedRevision : "no_stream";
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      try {
        return await settleAppend(streamId, events, result.nextExpectedRevision, validPosition(result.position?.commit));
      } catch (error) {
        throw translateError(error, `read-back of ${streamId}@${result.nextExpectedRevision}`, streamId);
      }
    },

    async readStream(streamId, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
      const backwards = options.direction === "backwards";
      const from = options.fromRevision ?? (backwards ? "end" : "start");
      const fromRevision: ReadRevision = from === "start" ? START : from === "end" ? END : from;
      const limit = options.maxCount === undefined ? undefined : Math.max(0, Math.floor(options.maxCount));
      const events: RecordedEvent[] = [];
      // maxCount 0 still reads one event, so that a missing stream is reported.
      const read = client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision,
        ...(limit === undefined ? {} : { maxCount: Math.max(1, limit) }),
      });
      try {
        await collect(read, (resolved: ResolvedEvent) => {
          if (limit === 0) return false;
          const event = resolved.event;
          if (event && !resolved.link && !isSystemType(event.type)) events.push(toRecordedEvent(event, resolved.commitPosition));
          return true;
        });
      } catch (error) {
        if (isStreamNotFound(error)) throw new StreamNotFoundError(streamId);
        throw translateError(error, `read ${streamId}`, streamId);
      }
      return events;
    },

    async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
      const limit = options.maxCount === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(options.maxCount));
      const prefixes = options.streamPrefixes;
      if (limit === 0 || (prefixes !== undefined && prefixes.length === 0)) return [];
      const backwards = options.direction === "backwards";
      // Backwards reads start at the log's end, as the port says.
      const from = backwards ? "end" : (options.fromPosition ?? "start");
      const fromPosition: ReadPosition = from === "start" ? START : from === "end" ? END : { commit: from, prepare: from };
      const events: RecordedEvent[] = [];
      // With prefixes the server filters (system events never match them); without, system events are skipped here.
      const read =
        prefixes === undefined
          ? client.readAll({ direction: backwards ? BACKWARDS : FORWARDS, fromPosition })
          : readAllFiltered(client, filteredReadAllRequest(from, prefixes, Number.isFinite(limit) ? limit : Number.MAX_SAFE_INTEGER, backwards ? "backwards" : "forwards"));
      try {
        await collect(read, (resolved: AllStreamResolvedEvent) => {
          const event = resolved.event;
          if (!event || resolved.link || isSystemEvent(event) || !matchesPrefixes(event.streamId, prefixes)) return true;
          events.push(toRecordedEvent(event, resolved.commitPosition));
          return events.length < limit;
        });
      } catch (error) {
        throw translateError(error, "read $all");
      }
      return events;
    },

    subscribeToStream(streamId, { from }): Subscription {
      const checkpoint = lazyCheckpoint<StreamCheckpoint>(
        from,
        (start) => (start === "start" ? START : start.after),
        () => streamEnd(streamId),
      );
      return track<ResolvedEvent>(`subscription to ${streamId}`, {
        async open() {
          return client.subscribeToStream(streamId, { fromRevision: await checkpoint.get() });
        },
        accept(resolved) {
          const raw = resolved.link ?? resolved.event;
          if (!raw) return undefined;
          checkpoint.set(raw.revision);
          const event = resolved.event;
          if (resolved.link || !event || isSystemType(event.type)) return undefined;
          return toRecordedEvent(event, resolved.commitPosition);
        },
      });
    },

    subscribeToAll({ from, streamPrefixes }): Subscription {
      const checkpoint = lazyCheckpoint<AllCheckpoint>(
        from,
        (start) => (start === "start" ? START : { commit: start.after, prepare: start.after }),
        allEnd,
      );
      const filter: Filter =
        streamPrefixes !== undefined && streamPrefixes.length > 0 ? streamNameFilter({ prefixes: streamPrefixes }) : excludeSystemEvents();
      return track<AllStreamResolvedEvent>(`subscription to $all${streamPrefixes?.length ? ` (${streamPrefixes.join(", ")})` : ""}`, {
        async open() {
          return client.subscribeToAll({ fromPosition: await checkpoint.get(), filter });
        },
        accept(resolved) {
          const raw = resolved.link ?? resolved.event;
          if (!raw) return undefined;
          if (raw.position) checkpoint.set(raw.position);
          const event = resolved.event;
          if (resolved.link || !event || isSystemEvent(event) || !matchesPrefixes(event.streamId, streamPrefixes)) return undefined;
          return toRecordedEvent(event, resolved.commitPosition);
        },
      });
    },

    async setStreamMetadata(streamId, metadata): Promise<void> {
      const checked = checkStreamMetadata(streamId, metadata);
      try {
        // The client writes $maxAge / $maxCount to the stream's $$ metastream, replacing what was there;
        // it refuses an undefined value, so only the keys that are set are passed.
        await client.setStreamMetadata(streamId, { ...checked });
      } catch (error) {
        throw translateError(error, `set metadata of ${streamId}`, streamId);
      }
    },

    async getStreamMetadata(streamId) {
      try {
        const { metadata } = await client.getStreamMetadata(streamId);
        const result: StreamMetadata = {};
        if (typeof metadata?.maxAge === "number") result.maxAge = metadata.maxAge;
        if (typeof metadata?.maxCount === "number") result.maxCount = metadata.maxCount;
        return result;
      } catch (error) {
        if (isStreamNotFound(error)) return {};
        throw translateError(error, `get metadata of ${streamId}`, streamId);
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...subscriptions].map((subscription) => subscription.stop()));
      await client.dispose();
    },
  };

  return store;
}

// The EventStoreDB adapter: the port spoken over gRPC with @eventstore/db-client (v6).
// Only this file imports the client; everything it returns is the port's shape, with bigint revisions/positions.
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
} from "@eventstore/db-client";
import type {
  AllStreamResolvedEvent,
  AppendExpectedRevision,
  CatchupSubscription,
  Filter,
  JSONType,
  MetadataType,
  Position,
  ReadableSubscription,
  ReadPosition,
  ReadRevision,
  RecordedEvent as EsdbRecordedEvent,
  ResolvedEvent,
  StreamingRead,
  WrongExpectedVersionError,
} from "@eventstore/db-client";
import {
  checkBatch,
  EventStoreError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type Subscription,
  type SubscriptionItem,
  type SubscriptionStart,
} from "./port.ts";

/** Reconnect delays after a dropped subscription: 250 ms doubling up to 5 s. */
const firstRetryDelayMs = 250;
const maxRetryDelayMs = 5000;

const connectionErrorTypes = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.CANCELLED, // cancelled by the server (client-side cancellation is swallowed by the client)
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
]);
const connectionErrorCodes = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const connectionErrorMessage = /RST_STREAM|Connection dropped|No connection established|socket hang up|write after end|ECONNRESET|ECONNREFUSED|GOAWAY/i;

function errorType(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const type = (error as { type?: unknown }).type;
  return typeof type === "string" ? type : undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || errorType(error) || error.name;
  return String(error);
}

/** The server is down, unreachable, restarting or not the leader: worth retrying. */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const type = errorType(error);
  if (type !== undefined && connectionErrorTypes.has(type)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && connectionErrorCodes.has(code)) return true;
  // gRPC status UNAVAILABLE (14) / DEADLINE_EXCEEDED (4) that reached us unconverted.
  if (type === undefined && (code === 14 || code === 4)) return true;
  return connectionErrorMessage.test(describe(error));
}

/** Port errors pass through; connection trouble becomes "unavailable"; the rest is wrapped with context. */
function translateError(error: unknown, context: string, streamId?: string): Error {
  if (error instanceof EventStoreError) return error;
  if (isConnectionError(error)) {
    return new EventStoreError("unavailable", `EventStoreDB unavailable (${context}): ${describe(error)}`, streamId);
  }
  return new Error(`EventStoreDB ${context} failed: ${describe(error)}`, { cause: error });
}

function isStreamNotFound(error: unknown): boolean {
  return errorType(error) === ErrorType.STREAM_NOT_FOUND;
}

function toAppendExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case "any":
      return ANY;
    case "no_stream":
      return NO_STREAM;
    case "stream_exists":
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

/** The client serialises inside a promise executor where a throw would hang the append: check here first. */
function assertJson(streamId: string, eventId: string, what: "data" | "metadata", value: unknown): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new EventStoreError("invalid_event", `event ${eventId}: ${what} is not JSON-serialisable: ${describe(error)}`, streamId);
  }
  if (text === undefined) throw new EventStoreError("invalid_event", `event ${eventId}: ${what} is not JSON-serialisable`, streamId);
}

function toEventData(streamId: string, event: EventToAppend) {
  const data = event.data === undefined ? null : event.data;
  const metadata = event.metadata === undefined ? {} : event.metadata;
  assertJson(streamId, event.id, "data", data);
  assertJson(streamId, event.id, "metadata", metadata);
  return jsonEvent({ id: event.id, type: event.type, data: data as JSONType, metadata: metadata as MetadataType });
}

const isSystemType = (type: string) => type.startsWith("$");
const isSystemEvent = (event: EsdbRecordedEvent) => isSystemType(event.type) || event.streamId.startsWith("$");
const matchesPrefixes = (streamId: string, prefixes: string[] | undefined) =>
  prefixes === undefined || prefixes.some((prefix) => streamId.startsWith(prefix));

/** The server encodes "no position" as -1 (or unsigned, 2^64 - 1); both mean the field is absent. */
const noPositionMarker = 2n ** 64n - 1n;
const validPosition = (position: bigint | undefined): bigint | undefined =>
  position !== undefined && position >= 0n && position !== noPositionMarker ? position : undefined;

function toRecordedEvent(event: EsdbRecordedEvent, commitPosition: bigint | undefined): RecordedEvent {
  const position = validPosition(event.position?.commit) ?? validPosition(commitPosition);
  if (position === undefined) {
    throw new Error(`EventStoreDB returned event ${event.id} of ${event.streamId} without a log position (server 22.6 or later required)`);
  }
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata ?? {},
    streamId: event.streamId,
    revision: event.revision,
    position,
    created: event.created,
  };
}

/** Where a catch-up subscription resumes; exclusive, like ESDB's own fromRevision/fromPosition. */
type StreamCheckpoint = typeof START | bigint;
type AllCheckpoint = typeof START | Position;

type EsdbSubscription<E> = ReadableSubscription<E> & CatchupSubscription;

interface SubscriptionSource<E> {
  /** Opens the underlying subscription from the last checkpoint (may do a lookup first). */
  open(): Promise<EsdbSubscription<E>>;
  /** Advances the checkpoint past `chunk`; returns the event to deliver, or undefined to skip it. */
  accept(chunk: E): RecordedEvent | undefined;
}

interface Attachment<E> {
  sub: EsdbSubscription<E>;
  /**
   * Set when the server says it caught up: how many chunks buffered in the readable side at that
   * moment still come before the signal. null while no signal is pending.
   */
  caughtUpAfter: number | null;
  failed: boolean;
  error: unknown;
  ended: boolean;
  detach(): Promise<void>;
}

const done: IteratorResult<SubscriptionItem> = { done: true, value: undefined };
const caughtUp: IteratorResult<SubscriptionItem> = { done: false, value: { kind: "caughtUp" } };
const noop = () => {};

/**
 * A catch-up subscription that reads the client's subscription in paused mode, one item per `next()`:
 * the client's stream buffers at most its high-water mark, then gRPC flow control holds the server
 * back, so nothing is buffered without bound. Drops caused by the connection are retried with
 * backoff from the last checkpoint taken from the stream, so consumers see neither gaps nor duplicates.
 */
class ResilientSubscription<E> implements Subscription {
  readonly #source: SubscriptionSource<E>;
  readonly #onFinish: () => void;
  #attachment: Attachment<E> | undefined;
  #stopped = false;
  #finished = false;
  #caughtUpSent = false;
  #stash: RecordedEvent | undefined;
  #failures = 0;
  #wake: (() => void) | undefined;
  #cancelSleep: (() => void) | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(source: SubscriptionSource<E>, onFinish: () => void) {
    this.#source = source;
    this.#onFinish = onFinish;
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
    return {
      next: () => this.#enqueue(),
      return: async () => {
        await this.stop();
        return done;
      },
    };
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#finish();
    this.#wake?.();
    this.#cancelSleep?.();
    const attachment = this.#attachment;
    this.#attachment = undefined;
    if (attachment) await attachment.detach();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#onFinish();
  }

  /** Calls to next() are served one at a time, in order. */
  #enqueue(): Promise<IteratorResult<SubscriptionItem>> {
    const result = this.#tail.then(() => this.#pull());
    this.#tail = result.catch(noop);
    return result;
  }

  async #fail(error: unknown): Promise<never> {
    const attachment = this.#attachment;
    this.#attachment = undefined;
    this.#finish();
    if (attachment) await attachment.detach();
    throw translateError(error, "subscription");
  }

  async #pull(): Promise<IteratorResult<SubscriptionItem>> {
    for (;;) {
      if (this.#stopped || this.#finished) return done;
      const stashed = this.#stash;
      if (stashed) {
        this.#stash = undefined;
        return { done: false, value: { kind: "event", event: stashed } };
      }
      const attachment = this.#attachment ?? (await this.#connect());
      if (!attachment || this.#stopped) continue;

      if (attachment.caughtUpAfter === 0) {
        attachment.caughtUpAfter = null;
        if (!this.#caughtUpSent) {
          this.#caughtUpSent = true;
          return caughtUp;
        }
        continue;
      }

      // read() and the bookkeeping below run synchronously, so the caught-up count stays exact.
      const chunk = attachment.sub.read() as E | null;
      if (chunk !== null) {
        this.#failures = 0;
        let afterCaughtUp = false;
        if (attachment.caughtUpAfter !== null) {
          if (attachment.caughtUpAfter > 0) attachment.caughtUpAfter -= 1;
          else afterCaughtUp = true;
        }
        let event: RecordedEvent | undefined;
        try {
          event = this.#source.accept(chunk);
        } catch (error) {
          return this.#fail(error);
        }
        if (afterCaughtUp) {
          attachment.caughtUpAfter = null;
          if (!this.#caughtUpSent) {
            this.#caughtUpSent = true;
            this.#stash = event;
            return caughtUp;
          }
        }
        if (event) return { done: false, value: { kind: "event", event } };
        continue;
      }

      if (attachment.failed || attachment.ended) {
        // Everything buffered has been delivered; the checkpoint is the last chunk taken.
        if (attachment.failed && !isConnectionError(attachment.error)) return this.#fail(attachment.error);
        this.#attachment = undefined;
        void attachment.detach();
        this.#failures += 1;
        continue;
      }

      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  async #connect(): Promise<Attachment<E> | undefined> {
    while (!this.#stopped) {
      if (this.#failures > 0) {
        await this.#sleep(Math.min(firstRetryDelayMs * 2 ** (this.#failures - 1), maxRetryDelayMs));
        if (this.#stopped) return undefined;
      }
      let sub: EsdbSubscription<E>;
      try {
        sub = await this.#source.open();
      } catch (error) {
        if (!isConnectionError(error)) return this.#fail(error);
        this.#failures += 1;
        continue;
      }
      const attachment = this.#attach(sub);
      if (this.#stopped) {
        await attachment.detach();
        return undefined;
      }
      this.#attachment = attachment;
      return attachment;
    }
    return undefined;
  }

  #attach(sub: EsdbSubscription<E>): Attachment<E> {
    const wake = () => this.#wake?.();
    const attachment: Attachment<E> = {
      sub,
      caughtUpAfter: null,
      failed: false,
      error: undefined,
      ended: false,
      detach: async () => {
        sub.removeListener("readable", wake);
        sub.removeListener("caughtUp", onCaughtUp);
        sub.removeListener("confirmation", onConfirmation);
        sub.removeListener("end", onEnd);
        sub.removeListener("close", onEnd);
        sub.removeListener("error", onError);
        // The client emits errors on the stream directly; an emitter with no listener would throw.
        sub.on("error", noop);
        try {
          await sub.unsubscribe();
        } catch {
          // already gone
        }
        sub.destroy();
      },
    };
    const onCaughtUp = () => {
      if (this.#caughtUpSent || attachment.caughtUpAfter !== null) return;
      attachment.caughtUpAfter = sub.readableLength;
      wake();
    };
    const onConfirmation = () => {
      this.#failures = 0;
    };
    const onEnd = () => {
      attachment.ended = true;
      wake();
    };
    const onError = (error: Error) => {
      if (!attachment.failed) {
        attachment.failed = true;
        attachment.error = error;
      }
      wake();
    };
    sub.on("readable", wake);
    sub.on("caughtUp", onCaughtUp);
    sub.on("confirmation", onConfirmation);
    sub.on("end", onEnd);
    sub.on("close", onEnd);
    sub.on("error", onError);
    return attachment;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#cancelSleep = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#cancelSleep = finish;
    });
  }
}

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

export function createEsdbEventStore(connectionString: string): EventStore {
  const client = EventStoreDBClient.connectionString(connectionString);
  const subscriptions = new Set<Subscription>();
  let closed = false;

  /** Global position of the event at `revision` (idempotent appends may not report one). */
  async function positionAt(streamId: string, revision: bigint): Promise<bigint> {
    let position: bigint | undefined;
    await collect(client.readStream(streamId, { direction: FORWARDS, fromRevision: revision, maxCount: 1 }), (resolved) => {
      if (resolved.event) position = validPosition(resolved.event.position?.commit) ?? validPosition(resolved.commitPosition);
      return false;
    });
    if (position === undefined) throw new Error(`no position found for ${streamId}@${revision}`);
    return position;
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

  function track<E>(source: SubscriptionSource<E>): Subscription {
    const subscription: Subscription = new ResilientSubscription(source, () => subscriptions.delete(subscription));
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
        if (errorType(error) === ErrorType.WRONG_EXPECTED_VERSION) {
          const actual = (error as WrongExpectedVersionError).actualVersion;
          throw new WrongExpectedRevisionError(streamId, expected, typeof actual === "bigint" && actual >= 0n ? actual : "no_stream");
        }
        throw translateError(error, `append to ${streamId}`, streamId);
      }
      const { nextExpectedRevision } = result;
      const reported = validPosition(result.position?.commit);
      if (reported !== undefined) return { nextExpectedRevision, position: reported };
      // Idempotent appends can come back without a position: look up the matched last event.
      try {
        return { nextExpectedRevision, position: await positionAt(streamId, nextExpectedRevision) };
      } catch (error) {
        throw translateError(error, `position lookup for ${streamId}@${nextExpectedRevision}`, streamId);
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
      const from = options.fromPosition ?? "start";
      const fromPosition: ReadPosition = from === "start" ? START : { commit: from, prepare: from };
      const events: RecordedEvent[] = [];
      // $all holds system events too, so the count is applied here, after filtering.
      try {
        await collect(client.readAll({ direction: FORWARDS, fromPosition }), (resolved: AllStreamResolvedEvent) => {
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
      return track<ResolvedEvent>({
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
      return track<AllStreamResolvedEvent>({
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

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...subscriptions].map((subscription) => subscription.stop()));
      await client.dispose();
    },
  };

  return store;
}

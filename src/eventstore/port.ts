// The event store port: EventStoreDB's semantics, spoken by every adapter.
import { isId } from "../domain/ids.ts";

/** How the stream must stand for an append to go through. */
export type ExpectedRevision = "any" | "no_stream" | "stream_exists" | bigint;

export interface EventToAppend {
  /** Lower-case uuid; appending the same ids again is idempotent (see appendToStream). */
  id: string;
  type: string;
  data: unknown;
  metadata?: unknown;
}

export interface RecordedEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  streamId: string;
  /** From 0 within the stream. */
  revision: bigint;
  /** Position in the global log; only grows. */
  position: bigint;
  created: Date;
}

/**
 * written: this append stored the batch. deduplicated: events with these ids already stood where the
 * batch would go (an earlier append, maybe another process's), so nothing was written; what is stored
 * is what readStream returns, which may differ from this batch in everything but the ids.
 */
export type AppendOutcome = "written" | "deduplicated";

export interface AppendResult {
  /** Revision of the batch's last event in the stream (written or matched). */
  nextExpectedRevision: bigint;
  /** Global position of the last event written (or matched, when deduplicated). */
  position: bigint;
  /** SQLite tells exactly; EventStoreDB as far as its answer allows (docs/eventstoredb.md). */
  outcome: AppendOutcome;
}

export interface ReadStreamOptions {
  direction?: "forwards" | "backwards";
  /** Inclusive. Default: "start" forwards, "end" backwards. */
  fromRevision?: bigint | "start" | "end";
  maxCount?: number;
}

export interface ReadAllOptions {
  /** "backwards": newest first, from the log's end (its head: maxCount 1). Default "forwards". */
  direction?: "forwards" | "backwards";
  /** Inclusive; forwards only. Default "start". */
  fromPosition?: bigint | "start";
  maxCount?: number;
  /** Only streams whose name starts with one of these. */
  streamPrefixes?: string[];
}

/** Where a catch-up subscription begins: exclusive of a given revision/position. */
export type SubscriptionStart = "start" | "end" | { after: bigint };

export type SubscriptionItem =
  | { kind: "event"; event: RecordedEvent }
  /** History is done; what follows is live. Sent once. */
  | { kind: "caughtUp" };

/** Consume with `for await`; the producer waits for the consumer, so it never overruns it. */
export interface Subscription extends AsyncIterable<SubscriptionItem> {
  stop(): Promise<void>;
}

export interface SubscribeToAllOptions {
  from: SubscriptionStart;
  streamPrefixes?: string[];
}

/**
 * EventStoreDB's stream metadata for short-lived streams ($maxAge, $maxCount): reads of the stream
 * skip events older than maxAge seconds or before the newest maxCount; a scavenge may delete them.
 * Reads of the global log ($all) may still show them until then, as in EventStoreDB.
 */
export interface StreamMetadata {
  /** Seconds. */
  maxAge?: number;
  maxCount?: number;
}

export interface EventStore {
  /** Writes all events or none. An empty batch is refused (empty_batch). */
  appendToStream(
    streamId: string,
    events: EventToAppend[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Missing stream: StreamNotFoundError. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The global log in position order (user events only). */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Optional, for bulk readers (a read-model rebuild): the same events as readAll, a page at a time
   * and synchronously, with `metadata` parsed only when read. Only the embedded store has it; other
   * adapters are read through readAll.
   */
  readAllPage?(options: { fromPosition: bigint; maxCount: number; streamPrefixes?: string[] }): RecordedEvent[];
  subscribeToStream(streamId: string, options: { from: SubscriptionStart }): Subscription;
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  /** Replaces the stream's metadata (the stream need not exist yet). */
  setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void>;
  /** `{}` when none was set. */
  getStreamMetadata(streamId: string): Promise<StreamMetadata>;
  close(): Promise<void>;
}

export type EventStoreErrorCode =
  | "wrong_expected_revision"
  | "stream_not_found"
  | "empty_batch"
  | "invalid_event"
  | "unavailable";

/** Callers test `code`, never the class, so two copies of this module cannot break checks. */
export class EventStoreError extends Error {
  constructor(
    readonly code: EventStoreErrorCode,
    message: string,
    readonly streamId?: string,
  ) {
    super(message);
    this.name = "EventStoreError";
  }
}

export class WrongExpectedRevisionError extends EventStoreError {
  constructor(
    streamId: string,
    readonly expected: ExpectedRevision,
    /** Current revision, or "no_stream". */
    readonly actual: bigint | "no_stream",
  ) {
    super("wrong_expected_revision", `stream ${streamId}: expected ${String(expected)}, actual ${String(actual)}`, streamId);
  }
}

export class StreamNotFoundError extends EventStoreError {
  constructor(streamId: string) {
    super("stream_not_found", `stream ${streamId} not found`, streamId);
  }
}

export function hasErrorCode(error: unknown, code: EventStoreErrorCode): error is EventStoreError {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}

/** Shared by every adapter: positive whole numbers only, as EventStoreDB accepts them. */
export function checkStreamMetadata(streamId: string, metadata: StreamMetadata): StreamMetadata {
  const checked: StreamMetadata = {};
  for (const key of ["maxAge", "maxCount"] as const) {
    const value = metadata[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new EventStoreError("invalid_event", `stream ${streamId}: ${key} must be a positive whole number`, streamId);
    }
    checked[key] = value;
  }
  return checked;
}

/** Shared by every adapter so they refuse the same batches the same way. */
export function checkBatch(streamId: string, events: EventToAppend[]): void {
  if (events.length === 0) throw new EventStoreError("empty_batch", `append to ${streamId}: empty batch`, streamId);
  for (const event of events) {
    if (!isId(event.id)) { // the one id format (domain/ids.ts)
      throw new EventStoreError("invalid_event", `event id ${event.id} is not a lower-case uuid`, streamId);
    }
    if (!event.type) throw new EventStoreError("invalid_event", "event type is empty", streamId);
  }
}

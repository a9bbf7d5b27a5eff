// EventStoreDB mapping: the port's shapes to the client's (expected revisions, event data) and back (recorded events, positions).
import { ANY, jsonEvent, NO_STREAM, STREAM_EXISTS } from "@eventstore/db-client";
import type { AppendExpectedRevision, JSONType, MetadataType, RecordedEvent as EsdbRecordedEvent } from "@eventstore/db-client";
import { describe } from "./esdbErrors.ts";
import { EventStoreError, type EventToAppend, type ExpectedRevision, type RecordedEvent } from "./port.ts";

export function toAppendExpected(expected: ExpectedRevision): AppendExpectedRevision {
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

export function toEventData(streamId: string, event: EventToAppend) {
  const data = event.data === undefined ? null : event.data;
  const metadata = event.metadata === undefined ? {} : event.metadata;
  assertJson(streamId, event.id, "data", data);
  assertJson(streamId, event.id, "metadata", metadata);
  return jsonEvent({ id: event.id, type: event.type, data: data as JSONType, metadata: metadata as MetadataType });
}

export const isSystemType = (type: string) => type.startsWith("$");
export const isSystemEvent = (event: EsdbRecordedEvent) => isSystemType(event.type) || event.streamId.startsWith("$");
export const matchesPrefixes = (streamId: string, prefixes: string[] | undefined) =>
  prefixes === undefined || prefixes.some((prefix) => streamId.startsWith(prefix));

/**
 * The oldest EventStoreDB the adapter works with: 20.6 has positions on every read, 23.10 sends the
 * caught-up signal, and 24.2 sends it also for a stream that does not exist yet.
 */
export const minimumServerVersion = "24.2";

/** The server encodes "no position" as -1 (or unsigned, 2^64 - 1); both mean the field is absent. */
const noPositionMarker = 2n ** 64n - 1n;
export const validPosition = (position: bigint | undefined): bigint | undefined =>
  position !== undefined && position >= 0n && position !== noPositionMarker ? position : undefined;

export function toRecordedEvent(event: EsdbRecordedEvent, commitPosition: bigint | undefined): RecordedEvent {
  const position = validPosition(event.position?.commit) ?? validPosition(commitPosition);
  if (position === undefined) {
    throw new Error(`EventStoreDB returned event ${event.id} of ${event.streamId} without a log position (EventStoreDB ${minimumServerVersion} or later required)`);
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

const jsonText = (value: unknown, absent: unknown) => JSON.stringify(value === undefined ? absent : value);

/** Whether the stored events are exactly the batch that was sent (ids, types, data, metadata). */
export function sameEvents(sent: EventToAppend[], stored: RecordedEvent[]): boolean {
  return (
    sent.length === stored.length &&
    sent.every((event, index) => {
      const found = stored[index]!;
      return (
        found.id === event.id &&
        found.type === event.type &&
        jsonText(found.data, null) === jsonText(event.data, null) &&
        jsonText(found.metadata, {}) === jsonText(event.metadata, {})
      );
    })
  );
}

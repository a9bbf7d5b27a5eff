// One stored giveaway event as the audit shows it: exactly what the store holds, JSON-ready.
import type { RecordedEvent } from "../eventstore/port.ts";

export interface AuditEvent {
  revision: number;
  id: string;
  type: string;
  data: unknown;
  /** As stored: {actorId, correlationId, causationId, prevHash, hash} unless someone changed it. */
  metadata: unknown;
  /** When the store recorded the event (ISO 8601, UTC). */
  created: string;
}

export function toAuditEvent(recorded: RecordedEvent): AuditEvent {
  return {
    revision: Number(recorded.revision),
    id: recorded.id,
    type: recorded.type,
    data: recorded.data,
    metadata: recorded.metadata,
    created: recorded.created.toISOString(),
  };
}

// One stored giveaway event as the audit shows it: what the store holds, JSON-ready, less what the
// reader may not see (auditRedaction.ts).
import type { RecordedEvent } from "../eventstore/port.ts";
import { everything, storedShown, type Sight } from "./auditRedaction.ts";

export interface AuditEvent {
  revision: number;
  id: string;
  type: string;
  data: unknown;
  /** As stored: {actorId, correlationId, causationId, prevHash, hash} unless someone changed it. */
  metadata: unknown;
  /** When the store recorded the event (ISO 8601, UTC). */
  created: string;
  /** Present when something was withheld from this reader: check this event by its `hash`, not by recomputing it. */
  redacted?: true;
}

export function toAuditEvent(recorded: RecordedEvent, sight: Sight = everything): AuditEvent {
  const { data, metadata, redacted } = storedShown(recorded.type, recorded.data, recorded.metadata, sight);
  return {
    revision: Number(recorded.revision),
    id: recorded.id,
    type: recorded.type,
    data,
    metadata,
    created: recorded.created.toISOString(),
    ...(redacted && { redacted: true as const }),
  };
}

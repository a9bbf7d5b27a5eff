// Open streams end with their session: when this process's subscription applies a SessionEnded or
// AllSessionsEnded (written by any process), every stream opened with an ended session is told.
import type { ProjectedEvent } from "../projections/projection.ts";
import type { Identity, SessionLedger } from "./tokens.ts";

export interface SessionEnds {
  /** Calls `onEnd` once the identity's session has ended; returns the function that stops watching. */
  watch(identity: Identity, onEnd: () => void): () => void;
  /** The runner calls this after each committed batch. */
  applied(events: readonly ProjectedEvent[]): void;
}

export function createSessionEnds(ledger: SessionLedger): SessionEnds {
  const byUser = new Map<string, Set<{ identity: Identity; onEnd: () => void }>>();
  return {
    watch(identity, onEnd) {
      const watcher = { identity, onEnd };
      const set = byUser.get(identity.userId) ?? new Set();
      set.add(watcher);
      byUser.set(identity.userId, set);
      return () => {
        set.delete(watcher);
        if (set.size === 0 && byUser.get(identity.userId) === set) byUser.delete(identity.userId);
      };
    },
    applied(events) {
      for (const projected of events) {
        if (projected.stream !== "user") continue;
        const { event } = projected;
        if (event.type !== "SessionEnded" && event.type !== "AllSessionsEnded") continue;
        for (const watcher of [...(byUser.get(event.data.userId) ?? [])]) {
          if (ledger.hasEnded(watcher.identity)) watcher.onEnd();
        }
      }
    },
  };
}

// Open streams end with their session: when this process's subscription applies a SessionEnded or
// AllSessionsEnded (written by any process), every stream opened with an ended session is told.
import type { ProjectedEvent } from "../projections/projection.ts";
import type { Identity, SessionLedger } from "./tokens.ts";

/** What is watched: an object, not a callback, so an open stream keeps no closure for it. */
export interface SessionWatcher {
  readonly identity: Identity;
  sessionEnded(): void;
}

export interface SessionEnds {
  /** Tells `watcher` once its identity's session has ended, until `unwatch`. */
  watch(watcher: SessionWatcher): void;
  unwatch(watcher: SessionWatcher): void;
  /** The runner calls this after each committed batch. */
  applied(events: readonly ProjectedEvent[]): void;
}

export function createSessionEnds(ledger: SessionLedger): SessionEnds {
  const byUser = new Map<string, Set<SessionWatcher>>();
  return {
    watch(watcher) {
      const { userId } = watcher.identity;
      const set = byUser.get(userId) ?? new Set();
      set.add(watcher);
      byUser.set(userId, set);
    },
    unwatch(watcher) {
      const { userId } = watcher.identity;
      const set = byUser.get(userId);
      if (!set) return;
      set.delete(watcher);
      if (set.size === 0) byUser.delete(userId);
    },
    applied(events) {
      for (const projected of events) {
        if (projected.stream !== "user") continue;
        const { event } = projected;
        if (event.type !== "SessionEnded" && event.type !== "AllSessionsEnded") continue;
        for (const watcher of [...(byUser.get(event.data.userId) ?? [])]) {
          if (ledger.hasEnded(watcher.identity)) watcher.sessionEnded();
        }
      }
    },
  };
}

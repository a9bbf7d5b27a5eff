// The read models trail the log by a moment. A request that just wrote waits here until they have
// applied its revision, so the answer (and the caller's next read) shows the write.
import type Database from "better-sqlite3";
import type { ProjectedEvent } from "./projection.ts";

interface Waiter {
  revision: number;
  settle(applied: boolean): void;
}

export interface ReadYourWrites {
  /** The newest revision of the giveaway's stream the read models have applied (-1: none). */
  appliedRevision(giveawayId: string): number;
  /**
   * Resolves true once the read models have applied `revision` of the giveaway's stream, or false
   * after `timeoutMs` (the write stands either way; only its visibility is late).
   */
  waitForGiveaway(giveawayId: string, revision: number | bigint, timeoutMs?: number): Promise<boolean>;
  /** The runner calls this after each committed batch. */
  applied(events: readonly ProjectedEvent[]): void;
  /** Settles every waiter with false (shutting down, or the projection stopped). */
  close(): void;
  /** Reads from `db` from now on (a rebuilt file swapped in), and settles the waiters it already shows. */
  useDatabase(db: Database.Database): void;
}

/** `isStopped`: true while the giveaways projection cannot apply anything, so nobody waits in vain. */
export function createReadYourWrites(db: Database.Database, defaultTimeoutMs = 5000, isStopped: () => boolean = () => false): ReadYourWrites {
  // giveaways.last_revision is the giveaways projection's record of the newest event it applied per stream.
  const prepareLastRevision = (from: Database.Database) => from.prepare<[string], { revision: number }>("SELECT last_revision AS revision FROM giveaways WHERE id = ?");
  let lastRevision = prepareLastRevision(db);
  const appliedRevision = (giveawayId: string) => lastRevision.get(giveawayId)?.revision ?? -1;
  const waiters = new Map<string, Set<Waiter>>();

  function remove(giveawayId: string, waiter: Waiter) {
    const set = waiters.get(giveawayId);
    set?.delete(waiter);
    if (set?.size === 0) waiters.delete(giveawayId);
  }

  return {
    appliedRevision,

    waitForGiveaway(giveawayId, revision, timeoutMs = defaultTimeoutMs) {
      const target = Number(revision);
      if (appliedRevision(giveawayId) >= target) return Promise.resolve(true);
      if (isStopped()) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const waiter: Waiter = {
          revision: target,
          settle(applied) {
            clearTimeout(timer);
            remove(giveawayId, waiter);
            resolve(applied);
          },
        };
        const timer = setTimeout(() => waiter.settle(false), timeoutMs);
        const set = waiters.get(giveawayId) ?? new Set<Waiter>();
        set.add(waiter);
        waiters.set(giveawayId, set);
      });
    },

    applied(events) {
      const touched = new Set<string>();
      for (const event of events) if (event.stream === "giveaway" && waiters.has(event.giveawayId)) touched.add(event.giveawayId);
      for (const giveawayId of touched) {
        const revision = appliedRevision(giveawayId);
        for (const waiter of [...(waiters.get(giveawayId) ?? [])]) if (revision >= waiter.revision) waiter.settle(true);
      }
    },

    close() {
      for (const set of [...waiters.values()]) for (const waiter of [...set]) waiter.settle(false);
    },

    useDatabase(next) {
      lastRevision = prepareLastRevision(next);
      // The swapped-in file may be ahead of the old one: whoever it already answers need not wait on.
      for (const [giveawayId, set] of [...waiters]) {
        const revision = appliedRevision(giveawayId);
        for (const waiter of [...set]) if (revision >= waiter.revision) waiter.settle(true);
      }
    },
  };
}

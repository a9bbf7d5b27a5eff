// A cap on open streams per user that holds across every process on one DATA_DIR. Each open stream
// holds a lease, a row in limits.db with an expiry that its process renews while it runs. Why
// leases and not a counter: a process killed with SIGKILL never decrements anything, so a counter
// would stay high for good; a dead process's leases simply lapse within `ttlMs`, no clean-up needed.
import type Database from "better-sqlite3";

export interface StreamLeasesOptions {
  /** This process: its leases are renewed (and, on close, dropped) together. */
  holder: string;
  /** How long a lease outlives the last renewal; renewed every third of it. */
  ttlMs: number;
  now?: () => number;
}

export interface StreamLease {
  release(): void;
}

export interface StreamLeases {
  /** A lease for one more open stream of `owner`, or undefined when `owner` already holds `max`. */
  acquire(owner: string, max: number): StreamLease | undefined;
  /** Renews this process's leases now (also done every ttlMs / 3). */
  renew(): void;
  /** Stops renewing and drops this process's leases. */
  close(): void;
}

export function openStreamLeases(db: Database.Database, options: StreamLeasesOptions): StreamLeases {
  const now = options.now ?? Date.now;
  db.exec(`CREATE TABLE IF NOT EXISTS stream_leases (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    holder TEXT NOT NULL,
    expires INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS stream_leases_owner ON stream_leases (owner, expires);
  CREATE INDEX IF NOT EXISTS stream_leases_holder ON stream_leases (holder)`);
  const dropLapsed = db.prepare("DELETE FROM stream_leases WHERE owner = ? AND expires <= ?");
  const count = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM stream_leases WHERE owner = ?");
  const insert = db.prepare("INSERT INTO stream_leases (owner, holder, expires) VALUES (?, ?, ?)");
  const remove = db.prepare("DELETE FROM stream_leases WHERE id = ?");
  const renewAll = db.prepare("UPDATE stream_leases SET expires = ? WHERE holder = ?");
  const removeAll = db.prepare("DELETE FROM stream_leases WHERE holder = ?");
  // IMMEDIATE: two processes counting at once must not both take the last slot.
  const take = db.transaction((owner: string, max: number): number | bigint | undefined => {
    dropLapsed.run(owner, now());
    if (count.get(owner)!.n >= max) return undefined;
    return insert.run(owner, options.holder, now() + options.ttlMs).lastInsertRowid;
  });

  let open = true;
  const renew = () => {
    if (open && db.open) renewAll.run(now() + options.ttlMs, options.holder);
  };
  const renewer = setInterval(() => {
    try {
      renew();
    } catch {
      // busy for 5 s: the lease still has two thirds of its life; the next renewal catches up
    }
  }, Math.max(100, Math.floor(options.ttlMs / 3)));
  renewer.unref();

  return {
    acquire(owner, max) {
      const id = take.immediate(owner, max);
      if (id === undefined) return undefined;
      let held = true;
      return {
        release() {
          if (!held || !open || !db.open) return;
          held = false;
          remove.run(id);
        },
      };
    },
    renew,
    close() {
      if (!open) return;
      open = false;
      clearInterval(renewer);
      if (db.open) removeAll.run(options.holder);
    },
  };
}

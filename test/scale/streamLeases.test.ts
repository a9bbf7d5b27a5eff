// The open-stream cap's leases over one real limits.db, each "process" with a connection of its
// own: one cap across them, a lease freed on release, a live process's leases kept by renewal, and
// a SIGKILLed process's leases (never released, never renewed again) lapsing after their TTL.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { openStreamLeases, type StreamLeases } from "../../src/scale/streamLeases.ts";
import { makeTempDir } from "../support/tempDir.ts";

const dir = makeTempDir("leases");
const connections: Database.Database[] = [];
const opened: StreamLeases[] = [];
afterAll(() => {
  for (const leases of opened) leases.close();
  for (const db of connections) if (db.open) db.close();
  dir.remove();
});

let clock = 1_000_000;
const ttlMs = 30_000;

function aProcess(holder: string): { leases: StreamLeases; db: Database.Database } {
  const db = new Database(join(dir.path, "limits.db"), { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  connections.push(db);
  const leases = openStreamLeases(db, { holder, ttlMs, now: () => clock });
  opened.push(leases);
  return { leases, db };
}

it("one cap across processes; release frees a place; renewal keeps a live process's leases", () => {
  const a = aProcess("a").leases;
  const b = aProcess("b").leases;
  const first = a.acquire("ann", 2);
  expect(first).toBeDefined();
  expect(b.acquire("ann", 2)).toBeDefined();
  expect(a.acquire("ann", 2)).toBeUndefined();
  expect(b.acquire("ann", 2)).toBeUndefined();
  expect(b.acquire("bo", 2)).toBeDefined(); // another user's cap is their own

  first!.release();
  expect(b.acquire("ann", 2)).toBeDefined();
  expect(a.acquire("ann", 2)).toBeUndefined();

  // Both processes alive and renewing: long past one TTL, the leases still hold.
  for (let i = 0; i < 5; i += 1) {
    clock += ttlMs / 2;
    a.renew();
    b.renew();
  }
  expect(a.acquire("ann", 2)).toBeUndefined();
});

it("a SIGKILLed process's leases count until their TTL has passed, then lapse", () => {
  const doomed = aProcess("doomed");
  const survivor = aProcess("survivor").leases;
  expect(doomed.leases.acquire("cy", 2)).toBeDefined();
  expect(doomed.leases.acquire("cy", 2)).toBeDefined();
  doomed.db.close(); // killed: nothing released, nothing renewed from now on

  expect(survivor.acquire("cy", 2)).toBeUndefined();
  clock += ttlMs - 1;
  survivor.renew();
  expect(survivor.acquire("cy", 2)).toBeUndefined();
  clock += 2;
  expect(survivor.acquire("cy", 2)).toBeDefined();
  expect(survivor.acquire("cy", 2)).toBeDefined();
  expect(survivor.acquire("cy", 2)).toBeUndefined();
});

it("a process closing (graceful shutdown) drops its leases at once", () => {
  const leaving = aProcess("leaving").leases;
  const staying = aProcess("staying").leases;
  expect(leaving.acquire("di", 1)).toBeDefined();
  expect(staying.acquire("di", 1)).toBeUndefined();
  leaving.close();
  expect(staying.acquire("di", 1)).toBeDefined();
});

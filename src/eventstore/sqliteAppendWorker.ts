// The store's append worker (a worker thread): it holds the writing connection and commits each group
// of appends it is sent, the fsync included, on its own thread; the event loop never waits on a commit.
// Its answers carry the outcomes; errors travel as plain data (sqliteAppendThread.ts rebuilds them).
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { configureStoreConnection, prepareGroupCommit, type AppendRequest } from "./sqliteAppends.ts";
import { serializeAppendError } from "./sqliteAppendErrors.ts";
import { threadPause, whenWriteLockFree } from "./writeLockWait.ts";

interface AppendWorkerData {
  file: string;
  synchronous: "FULL" | "NORMAL";
  lockTimeoutMs: number;
  autocheckpointPages: number;
}

const port = parentPort!;
const { file, synchronous, lockTimeoutMs, autocheckpointPages } = workerData as AppendWorkerData;
const db = new Database(file, { fileMustExist: true });
configureStoreConnection(db, synchronous, lockTimeoutMs);
db.pragma(`wal_autocheckpoint = ${autocheckpointPages}`);
// Another process holding the write lock: this thread waits in short steps (writeLockWait.ts), not SQLite's.
db.pragma("busy_timeout = 0");
const commitGroup = prepareGroupCommit(db);
const lockWait = { pause: threadPause(), now: Date.now, timeoutMs: lockTimeoutMs };
const commit = (group: AppendRequest[]) => whenWriteLockFree(() => commitGroup(group), lockWait);

port.on("message", (message: { id: number; group: AppendRequest[] } | "close") => {
  if (message === "close") {
    db.close();
    port.close();
    return;
  }
  try {
    const outcomes = commit(message.group).map((outcome) => (outcome.ok ? outcome : { ok: false, error: serializeAppendError(outcome.error) }));
    port.postMessage({ id: message.id, outcomes });
  } catch (error) {
    port.postMessage({ id: message.id, failed: serializeAppendError(error) });
  }
});

// The store's append worker (a worker thread): it holds the writing connection and commits each group
// of appends it is sent, the fsync included, on its own thread; the event loop never waits on a commit.
// Its answers carry the outcomes; errors travel as plain data (sqliteAppendThread.ts rebuilds them).
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { configureStoreConnection, prepareGroupCommit, type AppendRequest } from "./sqliteAppends.ts";
import { serializeAppendError } from "./sqliteAppendErrors.ts";

interface AppendWorkerData {
  file: string;
  synchronous: "FULL" | "NORMAL";
  autocheckpointPages: number;
}

const port = parentPort!;
const { file, synchronous, autocheckpointPages } = workerData as AppendWorkerData;
const db = new Database(file, { fileMustExist: true });
configureStoreConnection(db, synchronous);
db.pragma(`wal_autocheckpoint = ${autocheckpointPages}`);
const commit = prepareGroupCommit(db);

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

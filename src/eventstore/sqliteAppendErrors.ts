// An append's failure as plain data, to cross from the append worker to the event loop: a wrong
// expected revision comes back as the same error class; anything else (SQLITE_BUSY past the timeout,
// a full disk) as an Error with its name, message and SQLite code.
import { EventStoreError, WrongExpectedRevisionError, type ExpectedRevision } from "./port.ts";
import { isBusy } from "./writeLockWait.ts";

export type AppendErrorData =
  | { kind: "wrong_expected_revision"; streamId: string; expected: ExpectedRevision; actual: bigint | "no_stream" }
  | { kind: "other"; name: string; message: string; code?: string };

export function serializeAppendError(error: unknown): AppendErrorData {
  if (error instanceof WrongExpectedRevisionError) return { kind: "wrong_expected_revision", streamId: error.streamId!, expected: error.expected, actual: error.actual };
  const { name = "Error", message = String(error), code } = (error ?? {}) as { name?: string; message?: string; code?: unknown };
  return { kind: "other", name, message, ...(typeof code === "string" ? { code } : {}) };
}

export function deserializeAppendError(data: AppendErrorData): Error {
  if (data.kind === "wrong_expected_revision") return new WrongExpectedRevisionError(data.streamId, data.expected, data.actual);
  const error = new Error(data.message) as Error & { code?: string };
  error.name = data.name;
  if (data.code !== undefined) error.code = data.code;
  return error;
}

/**
 * What an append's caller sees of a failed commit. A write lock held by another process past the wait
 * is the store being away for a while, not a fault: `unavailable` (503 store_unavailable, Retry-After),
 * and a retried send with the same id is stored once. Any other error stays as it is.
 */
export function appendFailure(error: unknown): unknown {
  if (!isBusy(error)) return error;
  return new EventStoreError("unavailable", "another process held the event store's write lock too long: nothing was written");
}

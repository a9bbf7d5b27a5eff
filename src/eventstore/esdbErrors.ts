// EventStoreDB errors: spotting connection trouble and translating the client's errors into the port's.
import { ErrorType } from "@eventstore/db-client";
import type { WrongExpectedVersionError } from "@eventstore/db-client";
import { EventStoreError, WrongExpectedRevisionError, type ExpectedRevision } from "./port.ts";

const connectionErrorTypes = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.CANCELLED, // cancelled by the server (client-side cancellation is swallowed by the client)
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
]);
const connectionErrorCodes = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const connectionErrorMessage = /RST_STREAM|Connection dropped|No connection established|socket hang up|write after end|ECONNRESET|ECONNREFUSED|GOAWAY/i;

function errorType(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const type = (error as { type?: unknown }).type;
  return typeof type === "string" ? type : undefined;
}

export function describe(error: unknown): string {
  if (error instanceof Error) return error.message || errorType(error) || error.name;
  return String(error);
}

/** The server is down, unreachable, restarting or not the leader: worth retrying. */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const type = errorType(error);
  if (type !== undefined && connectionErrorTypes.has(type)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && connectionErrorCodes.has(code)) return true;
  // gRPC status UNAVAILABLE (14) / DEADLINE_EXCEEDED (4) that reached us unconverted.
  if (type === undefined && (code === 14 || code === 4)) return true;
  return connectionErrorMessage.test(describe(error));
}

/** Port errors pass through; connection trouble becomes "unavailable"; the rest is wrapped with context. */
export function translateError(error: unknown, context: string, streamId?: string): Error {
  if (error instanceof EventStoreError) return error;
  if (isConnectionError(error)) {
    return new EventStoreError("unavailable", `EventStoreDB unavailable (${context}): ${describe(error)}`, streamId);
  }
  return new Error(`EventStoreDB ${context} failed: ${describe(error)}`, { cause: error });
}

export function isStreamNotFound(error: unknown): boolean {
  return errorType(error) === ErrorType.STREAM_NOT_FOUND;
}

/** A rejected append: a revision conflict becomes the port's WrongExpectedRevisionError, the rest goes through translateError. */
export function translateAppendError(error: unknown, streamId: string, expected: ExpectedRevision): Error {
  if (errorType(error) === ErrorType.WRONG_EXPECTED_VERSION) {
    const actual = (error as WrongExpectedVersionError).actualVersion;
    return new WrongExpectedRevisionError(streamId, expected, typeof actual === "bigint" && actual >= 0n ? actual : "no_stream");
  }
  return translateError(error, `append to ${streamId}`, streamId);
}

/** Swallows an error or rejection that nothing is waiting for. */
export const noop = () => {};

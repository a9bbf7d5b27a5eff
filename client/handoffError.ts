// A refusal from handoff (its status and stable `code`), or a request that never got an answer (status 0).
import { ErrorBodySchema } from "./wireFormat.ts";

export class HandoffError extends Error {
  override readonly name = "HandoffError";

  constructor(
    /** The HTTP status; 0 when the request failed before any answer (network down, server gone). */
    readonly status: number,
    /** handoff's error code (docs/api.md), `network` for status 0, `http_<status>` for an answer without one. */
    readonly code: string,
    message: string,
    /** From `Retry-After`, when the answer had one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }

  /** Worth trying again with the same request: no answer, a server-side failure, or a rate limit. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export function networkError(cause: unknown): HandoffError {
  return new HandoffError(0, "network", cause instanceof Error ? cause.message : String(cause));
}

/** Reads a refused answer's JSON error body (any body at all is tolerated). */
export async function errorFromResponse(response: Response): Promise<HandoffError> {
  const retryAfterSeconds = Number(response.headers.get("retry-after"));
  const retryAfterMs = Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : null;
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page, an empty body): the status alone says what happened.
  }
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) return new HandoffError(response.status, parsed.data.error.code, parsed.data.error.message, retryAfterMs);
  return new HandoffError(response.status, `http_${response.status}`, `handoff answered ${response.status}`, retryAfterMs);
}

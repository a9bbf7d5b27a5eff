// Any failure of any request becomes an answer: JSON {"error":{code,message}} under /api, a short
// readable text or page elsewhere; never a stack trace or a path. A client's fault logs one line;
// only our own faults log a stack.
import type { IncomingMessage, ServerResponse } from "node:http";
import { hasErrorCode } from "../../eventstore/port.ts";
import { componentLogger, errorFields } from "../../observability/logger.ts";
import { ApiError, sendApiError, statusOf, type ApiErrorCode } from "../errorAnswers.ts";

const log = componentLogger("http");

export interface Failure {
  code: ApiErrorCode;
  message: string;
  /** True when the request, not the server, was at fault. */
  clientFault: boolean;
  /** Retry-After, when the refusal says when to come back (a rate limit). */
  retryAfterSeconds?: number | undefined;
}

/** What went wrong, in the API's terms: our own refusals, the body reader's and express's (http-errors), else internal. */
export function classifyFailure(error: unknown): Failure {
  if (error instanceof ApiError) return { code: error.code, message: error.message, clientFault: error.status < 500, retryAfterSeconds: error.retryAfterSeconds };
  // The event store down or unreachable: worth retrying, so 503 with Retry-After, not 500.
  if (hasErrorCode(error, "unavailable")) {
    const message = "the event store is unavailable: try again in a few seconds (a retried send with the same id is stored once)";
    return { code: "store_unavailable", message, clientFault: false };
  }
  if (typeof error === "object" && error !== null) {
    const { type, status, statusCode } = error as { type?: unknown; status?: unknown; statusCode?: unknown };
    switch (type) {
      case "entity.parse.failed":
        return { code: "bad_json", message: "the request body is not valid JSON (an object or array)", clientFault: true };
      case "entity.too.large":
        return { code: "body_too_large", message: "the request body is too large", clientFault: true };
      case "charset.unsupported":
      case "encoding.unsupported":
        return { code: "unsupported_encoding", message: "send the body as uncompressed UTF-8", clientFault: true };
      default:
        break;
    }
    const httpStatus = typeof status === "number" ? status : typeof statusCode === "number" ? statusCode : undefined;
    // A body that cannot be read (a corrupt gzip, an aborted upload), a path that cannot be decoded.
    if (httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500) {
      return httpStatus === 404
        ? { code: "not_found", message: "there is nothing here", clientFault: true }
        : { code: "bad_request", message: "the request could not be read", clientFault: true };
    }
  }
  return { code: "internal", message: "something went wrong on our side", clientFault: false };
}

/** A path without its query (which may carry anything), for the log line. */
export function pathOf(req: IncomingMessage): string {
  const url = urlOf(req);
  const query = url.indexOf("?");
  return (query < 0 ? url : url.slice(0, query)).slice(0, 200);
}

export function logFailure(req: IncomingMessage, failure: Failure, error: unknown, requestId?: string): void {
  const fields = { method: req.method, path: pathOf(req), code: failure.code, requestId };
  if (failure.clientFault) log.info(fields, "request refused");
  else log.error({ ...fields, ...errorFields(error, true) }, "request failed");
}

/** The URL as it came: express rewrites req.url inside a mounted router, and keeps the original. */
function urlOf(req: IncomingMessage): string {
  const original = (req as { originalUrl?: unknown }).originalUrl;
  return typeof original === "string" ? original : (req.url ?? "");
}

export function isApiPath(req: IncomingMessage): boolean {
  return /^\/api(\/|$|\?)/i.test(urlOf(req));
}

/** A short plain-text answer (streams and scripts, or when a page cannot be drawn). */
export function sendPlainText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

/**
 * The last word on any failed request, express or not. Once a response has started there is
 * nothing to answer with but ending it.
 */
export function answerFailure(error: unknown, req: IncomingMessage, res: ServerResponse, requestId?: string, page?: (failure: Failure) => void): void {
  const failure = classifyFailure(error);
  if (!(error instanceof ApiError) || !failure.clientFault) logFailure(req, failure, error, requestId);
  try {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (requestId !== undefined) res.setHeader("X-Request-Id", requestId);
    if (failure.retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(failure.retryAfterSeconds));
    if (isApiPath(req)) return sendApiError(res, failure.code, failure.message);
    if (page) return page(failure);
    sendPlainText(res, failure.clientFault ? statusOf(failure.code) : 500, failure.clientFault ? failure.message : "Something went wrong on our side. Please try again.");
  } catch (answerError) {
    // Drawing the answer failed too: a plain 500, or cut the connection.
    log.error(errorFields(answerError, true), "answering a failed request failed");
    if (!res.headersSent) sendPlainText(res, 500, "Something went wrong on our side.");
    else res.destroy();
  }
}

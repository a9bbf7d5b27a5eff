// Every API refusal as {"error":{"code","message"}}, with its status decided in one exhaustive switch.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { assertNever, type DomainErrorCode } from "../../domain/errors.ts";
import { answerFailure } from "../edge/failures.ts";
import { isPickupErrorCode } from "../../domain/pickupErrors.ts";
import { pickupErrorStatus } from "./pickupErrorStatus.ts";
import { isPlatformApiErrorCode, platformErrorStatus, type PlatformEdgeErrorCode } from "./platformErrorStatus.ts";
import type { PlatformTokenErrorCode } from "../../app/platformTokens.ts";

/** Refusals the HTTP edge makes itself, besides the domain's. */
export type EdgeErrorCode =
  | "bad_json"
  | "bad_request"
  | "unauthenticated"
  | "invalid_token"
  | "invalid_credentials"
  | "cross_site_request"
  | "local_accounts_disabled"
  | "not_found"
  | "username_taken"
  | "body_too_large"
  | "unsupported_encoding"
  | "invalid_field"
  | "read_model_lagging"
  | "invalid_resume_point"
  | "resume_point_ahead"
  | "revision_ahead"
  | "rate_limited"
  | "busy"
  | "store_unavailable"
  | "read_model_stopped"
  | "unsupported_media_type"
  | "attachment_not_found"
  /** GET /api/users/:id of nobody (usersProfileApi.ts). */
  | "user_not_found"
  | "internal";

export type ApiErrorCode = DomainErrorCode | EdgeErrorCode | PlatformTokenErrorCode | PlatformEdgeErrorCode;

export function statusOf(code: ApiErrorCode): number {
  if (isPickupErrorCode(code)) return pickupErrorStatus(code);
  if (isPlatformApiErrorCode(code)) return platformErrorStatus(code);
  switch (code) {
    case "bad_json":
    case "bad_request":
      return 400;
    case "unauthenticated":
    case "invalid_token":
    case "invalid_credentials":
    case "token_expired":
    case "token_not_yet_valid":
    case "wrong_issuer":
    case "wrong_audience":
    case "alg_not_allowed":
    case "unknown_key":
    case "bad_signature":
    case "invalid_claims":
      return 401;
    case "cross_site_request":
    case "local_accounts_disabled":
    case "not_sender":
    case "not_participant":
    case "not_giver":
    case "giver_cannot_enter":
    case "not_moderator":
    case "suspended":
    case "blocked":
      return 403;
    case "not_found":
    case "giveaway_not_found":
    case "message_not_found":
    case "attachment_not_found":
    case "user_not_found":
    case "report_not_found":
    case "user_not_found":
      return 404;
    case "username_taken":
    case "conversation_closed":
    case "already_drawn":
    case "no_entrants":
    case "giveaway_exists":
    case "message_id_conflict":
    case "resume_point_ahead":
    case "revision_ahead":
    case "message_retracted":
    case "edit_window_closed":
    case "report_not_open":
    case "not_suspended":
    case "user_blocked":
    case "user_suspended":
    case "not_completed":
    case "rating_closed":
    case "cannot_rate_self":
      return 409;
    case "body_too_large":
      return 413;
    case "unsupported_encoding":
    case "unsupported_media_type":
      return 415;
    case "invalid_field":
    case "invalid_content":
    case "invalid_username":
    case "invalid_password":
    case "invalid_title":
    case "invalid_description":
    case "invalid_revision":
    case "invalid_resume_point":
    case "invalid_emoji":
    case "invalid_reply_to":
    case "invalid_attachment":
    case "invalid_moderation":
    case "cannot_block_self":
    case "not_reportable":
    case "invalid_note":
    case "invalid_stars":
    case "invalid_comment":
      return 422;
    case "rate_limited":
      return 429;
    case "internal":
      return 500;
    case "read_model_lagging":
    case "busy":
    case "store_unavailable":
    case "read_model_stopped":
    case "platform_keys_unavailable":
      return 503;
    default:
      return assertNever(code);
  }
}

/** Thrown (or passed to next) by routes; the error handler turns it into the JSON answer. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** Sent as Retry-After (a rate limit's refusal). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get status(): number {
    return statusOf(this.code);
  }
}

/** Plain node writes, so the event streams (served without express) answer refusals the same way. */
export function sendApiError(res: ServerResponse, code: ApiErrorCode, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  if (statusOf(code) === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="handoff"');
  // A refusal that says when to come back (busy) keeps its own.
  if (statusOf(code) === 503 && !res.hasHeader("Retry-After")) res.setHeader("Retry-After", code === "store_unavailable" || code === "platform_keys_unavailable" ? "5" : "1");
  res.statusCode = statusOf(code);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}

/** The API's last middleware: known refusals as they are, anything else as a 500 without details. */
export function apiErrorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  answerFailure(error, req, res, res.locals.requestId as string | undefined);
}

/** A request that failed: known refusals as they are, anything else as a 500 without details. */
export function answerApiFailure(error: unknown, req: IncomingMessage, res: ServerResponse, requestId: string | undefined): void {
  answerFailure(error, req, res, requestId);
}

/** Anything under /api that no route answered. */
export function unknownApiRoute(req: Request, res: Response): void {
  sendApiError(res, "not_found", `no such API route: ${req.method} ${req.baseUrl}${req.path}`.slice(0, 300));
}

// Every refusal's HTTP status in one table, read by the API, the streams, the audit and the pages
// alike, and the API's one JSON error writer. Neutral ground: the edge (edge/failures.ts), the API
// and the pages all import it, and it imports none of them.
import type { ServerResponse } from "node:http";
import type { PlatformTokenErrorCode } from "../app/platformTokens.ts";
import type { DomainErrorCode } from "../domain/errors.ts";

export const platformEdgeErrorCodes = [
  /** A user's token where only a service key is accepted. */
  "service_key_required",
  /** A service key that is malformed, unknown or revoked. */
  "invalid_service_key",
  /** A changing call without a usable Idempotency-Key header. */
  "idempotency_key_required",
  /** The same Idempotency-Key with another method, path or body. */
  "idempotency_key_conflict",
] as const;

/** Refusals the platform API's edge makes (service keys, idempotency keys). */
export type PlatformEdgeErrorCode = (typeof platformEdgeErrorCodes)[number];

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
  | "url_not_allowed"
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
  /** PUT /api/me/email: not an address (emailApi.ts). */
  | "invalid_email"
  /** PUT /api/me/email on a server without SMTP_URL: no verification mail could go out. */
  | "email_not_configured"
  | "internal";

export type ApiErrorCode = DomainErrorCode | EdgeErrorCode | PlatformTokenErrorCode | PlatformEdgeErrorCode;

/** The pages' own words for a few refusals (a form, a cross-site post, a failed sign-in). */
export type PageOnlyRefusalCode = "cross_site" | "bad_form" | "wrong_credentials";

export type RefusalCode = ApiErrorCode | PageOnlyRefusalCode;

/** The one status table: `satisfies` makes a missing or unknown code a compile error. */
const statuses = {
  bad_json: 400,
  bad_request: 400,
  idempotency_key_required: 400,

  unauthenticated: 401,
  invalid_token: 401,
  invalid_credentials: 401,
  wrong_credentials: 401,
  token_expired: 401,
  token_not_yet_valid: 401,
  wrong_issuer: 401,
  wrong_audience: 401,
  alg_not_allowed: 401,
  unknown_key: 401,
  bad_signature: 401,
  invalid_claims: 401,
  invalid_service_key: 401,

  cross_site_request: 403,
  cross_site: 403,
  local_accounts_disabled: 403,
  not_sender: 403,
  not_participant: 403,
  not_giver: 403,
  giver_cannot_enter: 403,
  not_moderator: 403,
  suspended: 403,
  blocked: 403,
  wrong_participant: 403,
  service_key_required: 403,

  not_found: 404,
  giveaway_not_found: 404,
  message_not_found: 404,
  attachment_not_found: 404,
  user_not_found: 404,
  report_not_found: 404,
  proposal_not_found: 404,

  username_taken: 409,
  conversation_closed: 409,
  already_drawn: 409,
  no_entrants: 409,
  giveaway_exists: 409,
  message_id_conflict: 409,
  resume_point_ahead: 409,
  revision_ahead: 409,
  message_retracted: 409,
  edit_window_closed: 409,
  report_not_open: 409,
  not_suspended: 409,
  user_blocked: 409,
  user_suspended: 409,
  not_completed: 409,
  rating_closed: 409,
  cannot_rate_self: 409,
  proposal_not_open: 409,
  proposal_id_conflict: 409,
  proposal_expired: 409,
  pickup_not_agreed: 409,
  giveaway_completed: 409,
  giveaway_cancelled: 409,
  prize_declined: 409,
  redraw_not_allowed: 409,
  no_entrants_left: 409,
  handover_started: 409,
  conversation_read_only: 409,
  giver_fixed: 409,
  entries_closed: 409,
  winner_not_entrant: 409,
  winner_replaced: 409,
  idempotency_key_conflict: 409,
  email_not_configured: 409,

  body_too_large: 413,

  unsupported_encoding: 415,
  unsupported_media_type: 415,

  invalid_field: 422,
  url_not_allowed: 422,
  invalid_email: 422,
  bad_form: 422,
  invalid_content: 422,
  invalid_username: 422,
  invalid_password: 422,
  invalid_title: 422,
  invalid_description: 422,
  invalid_revision: 422,
  invalid_resume_point: 422,
  invalid_emoji: 422,
  invalid_reply_to: 422,
  invalid_attachment: 422,
  invalid_moderation: 422,
  invalid_pickup: 422,
  cannot_block_self: 422,
  not_reportable: 422,
  invalid_note: 422,
  invalid_stars: 422,
  invalid_comment: 422,

  rate_limited: 429,

  internal: 500,

  read_model_lagging: 503,
  busy: 503,
  store_unavailable: 503,
  read_model_stopped: 503,
  platform_keys_unavailable: 503,
} as const satisfies Record<RefusalCode, number>;

export function statusOf(code: RefusalCode): number {
  return statuses[code];
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

/**
 * The one JSON error answer, {"error":{"code","message"}}, its status from the table. Plain node
 * writes, so the event streams (served without express) answer refusals the same way.
 */
export function sendApiError(res: ServerResponse, code: ApiErrorCode, message: string): void {
  const status = statusOf(code);
  const body = JSON.stringify({ error: { code, message } });
  if (status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="handoff"');
  // A refusal that says when to come back (busy) keeps its own.
  if (status === 503 && !res.hasHeader("Retry-After")) res.setHeader("Retry-After", code === "store_unavailable" || code === "platform_keys_unavailable" ? "5" : "1");
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}

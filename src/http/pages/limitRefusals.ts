// Refused by an abuse limit or the password-hashing queue (edge/rateLimits.ts decides), as a page answers it.
import type { ServerResponse } from "node:http";
import type { LimitRefusal } from "../../app/abuseLimits.ts";
import type { PasswordWorkRefusal } from "../edge/rateLimits.ts";
import { pageRefusal, sentence, type PageRefusal } from "./pageRefusals.ts";

/** A form's answer to refused password work: sets Retry-After; the form shows the sentence. */
export function passwordWorkPage(res: ServerResponse, refusal: PasswordWorkRefusal): PageRefusal {
  res.setHeader("Retry-After", String(refusal.retryAfterSeconds));
  return pageRefusal(refusal.code, sentence(refusal.message));
}

/** A page's answer: sets Retry-After; the page renders the returned refusal (keeping what was typed). */
export function rateLimitedPage(res: ServerResponse, refusal: LimitRefusal): PageRefusal {
  res.setHeader("Retry-After", String(refusal.retryAfterSeconds));
  return pageRefusal("rate_limited", sentence(refusal.message));
}

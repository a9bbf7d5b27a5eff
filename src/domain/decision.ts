// What a decider answers: the events to append, or why the command was refused.
import { refuse } from "./errors.ts";
import type { DomainError, DomainErrorCode } from "./errors.ts";

export type Decision<E> =
  | { readonly ok: true; readonly events: E[] }
  | { readonly ok: false; readonly error: DomainError };

/** Zero events is a success: the command was already satisfied (an idempotent retry). */
export function decided<E>(events: E[]): Decision<E> {
  return { ok: true, events };
}

export function refused(code: DomainErrorCode, message: string): Decision<never> {
  return { ok: false, error: refuse(code, message) };
}

// Registration. Uniqueness is not decided here: the UsernameReserved event is appended to
// username-<lower-case name> with expected revision "no_stream", so the store refuses a taken name.
// Hashing the password is the app's job (crypto is I/O-ish); the domain only states the policy.
import { decided, refused } from "./decision.ts";
import type { Decision } from "./decision.ts";
import { refuse } from "./errors.ts";
import type { DomainError } from "./errors.ts";
import type { UserEvent } from "./events.ts";

export const usernamePolicy = {
  minLength: 3,
  maxLength: 32,
  /** Letters in either case: the typed case is kept for display, uniqueness ignores it. */
  pattern: /^[A-Za-z0-9_-]{3,32}$/,
} as const;

export const passwordPolicy = { minLength: 8, maxLength: 200 } as const;

/** Null when the username is acceptable. Leading and trailing spaces are the caller's to trim. */
export function checkUsername(username: string): DomainError | null {
  if (usernamePolicy.pattern.test(username)) return null;
  return refuse(
    "invalid_username",
    `a username is ${usernamePolicy.minLength} to ${usernamePolicy.maxLength} letters, digits, "_" or "-"`,
  );
}

/** Null when the password is acceptable. Checked by the app before it hashes. */
export function checkPassword(password: string): DomainError | null {
  const { minLength, maxLength } = passwordPolicy;
  if (password.length >= minLength && password.length <= maxLength) return null;
  return refuse("invalid_password", `a password is ${minLength} to ${maxLength} characters`);
}

export interface RegisterUser {
  readonly type: "RegisterUser";
  readonly userId: string;
  readonly username: string;
  /** Already hashed by the app. */
  readonly passwordHash: string;
  readonly now: Date;
}

/**
 * Two events, each for its own stream (see streamOfUserEvent): first the reservation, which may
 * be refused by the store, then the registration.
 */
export function decideRegisterUser(command: RegisterUser): Decision<UserEvent> {
  const problem = checkUsername(command.username);
  if (problem) return refused(problem.code, problem.message);
  const { userId, username, passwordHash, now } = command;
  return decided([
    { type: "UsernameReserved", data: { userId, username } },
    { type: "UserRegistered", data: { userId, username, passwordHash, registeredAt: now.toISOString() } },
  ]);
}

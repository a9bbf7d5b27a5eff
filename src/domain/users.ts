// Registration and the account's state. Uniqueness is not decided here: the UsernameReserved event
// is appended to username-<lower-case name> with an expected revision, so the store refuses a taken name.
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
 * Two events, each for its own stream (see streamOfUserEvent): first the registration in the new
 * user's own stream (harmless alone: no name leads to it), then the reservation, which the store
 * may refuse and which commits the name. A crash between the two leaves the name free.
 */
export function decideRegisterUser(command: RegisterUser): Decision<UserEvent> {
  const problem = checkUsername(command.username);
  if (problem) return refused(problem.code, problem.message);
  const { userId, username, passwordHash, now } = command;
  return decided([
    { type: "UserRegistered", data: { userId, username, passwordHash, registeredAt: now.toISOString() } },
    { type: "UsernameReserved", data: { userId, username } },
  ]);
}

/** What signing in needs of a user's stream. */
export interface UserAccount {
  readonly userId: string;
  readonly username: string;
  readonly passwordHash: string;
}

/** Folds user-<id>: undefined when it holds no registration (a reservation's registration never written). */
export function foldUserAccount(events: readonly UserEvent[]): UserAccount | undefined {
  let account: UserAccount | undefined;
  for (const event of events) {
    if (event.type === "UserRegistered" && !account) {
      account = { userId: event.data.userId, username: event.data.username, passwordHash: event.data.passwordHash };
    } else if (event.type === "PasswordRehashed" && account) {
      account = { ...account, passwordHash: event.data.passwordHash };
    }
  }
  return account;
}

/** Who holds a name, from the newest event of username-<name>: a reservation's user, or nobody. */
export function nameHolder(newest: UserEvent | undefined): string | undefined {
  return newest?.type === "UsernameReserved" ? newest.data.userId : undefined;
}

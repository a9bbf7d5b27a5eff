// Registration, sign-in and sessions, straight against the event store so a new account can sign
// in at once. Registration cannot burn a name: the user's own stream is written first (harmless
// alone), the name's reservation last; a reservation left without its registration (by an earlier
// version's crash) is released by the next attempt at that name.
import type { DomainError } from "../domain/errors.ts";
import { parseUserEvent, type UserEvent } from "../domain/events.ts";
import { streamOfUserEvent, usernameStream, userStream } from "../domain/streams.ts";
import { checkPassword, decideRegisterUser, foldUserAccount, nameHolder, type UserAccount } from "../domain/users.ts";
import { hasErrorCode, type EventStore, type ExpectedRevision } from "../eventstore/port.ts";
import { PasswordHashingBusy, type PasswordHasher } from "./passwordHash.ts";

export interface Account {
  id: string;
  username: string;
}

export interface Session {
  sessionId: string;
  startedAt: Date;
  expiresAt: Date;
}

export type RegistrationResult = { ok: true; account: Account } | { ok: false; error: DomainError | { code: "username_taken"; message: string } };

export interface UserAccounts {
  register(input: { username: string; password: string; correlationId: string }): Promise<RegistrationResult>;
  /**
   * The account, or undefined when the name or the password is wrong (in the same time either way:
   * an unknown name costs one hash too). Throws PasswordHashingBusy when the hashing queue is full.
   */
  authenticate(username: string, password: string): Promise<Account | undefined>;
  /** Records a sign-in; the token issued for it names the session. */
  startSession(account: Account, correlationId: string): Promise<Session>;
  endSession(userId: string, sessionId: string, correlationId: string): Promise<void>;
  endAllSessions(userId: string, correlationId: string): Promise<Date>;
}

export interface UserAccountsDeps {
  store: EventStore;
  newId: () => string;
  now: () => Date;
  passwords: PasswordHasher;
  sessionTtlSeconds: number;
}

/** Attempts at a name before giving up (each one lost a race to a release or a reservation). */
const reservationAttempts = 3;

export function createUserAccounts(deps: UserAccountsDeps): UserAccounts {
  const { store, newId, now, passwords } = deps;

  async function read(streamId: string, options: { direction?: "backwards"; maxCount?: number } = {}) {
    try {
      return await store.readStream(streamId, options);
    } catch (error) {
      if (hasErrorCode(error, "stream_not_found")) return [];
      throw error;
    }
  }

  async function accountOf(userId: string): Promise<UserAccount | undefined> {
    return foldUserAccount((await read(userStream(userId))).map((recorded) => parseUserEvent(recorded.type, recorded.data)));
  }

  /** The name's newest event and the revision to append after it ("no_stream" for a fresh name). */
  async function nameState(username: string): Promise<{ newest: UserEvent | undefined; expected: ExpectedRevision }> {
    const [newest] = await read(usernameStream(username), { direction: "backwards", maxCount: 1 });
    if (!newest) return { newest: undefined, expected: "no_stream" };
    return { newest: parseUserEvent(newest.type, newest.data), expected: newest.revision };
  }

  async function append(event: UserEvent, expectedRevision: ExpectedRevision, correlationId: string, actorId: string) {
    const metadata = { actorId, correlationId, causationId: correlationId };
    await store.appendToStream(streamOfUserEvent(event), [{ id: newId(), type: event.type, data: event.data, metadata }], { expectedRevision });
  }

  /** Reserves the name for `userId`; false when a registered user holds it. */
  async function reserve(username: string, userId: string, correlationId: string): Promise<boolean> {
    for (let attempt = 0; attempt < reservationAttempts; attempt++) {
      let { newest, expected } = await nameState(username);
      const holder = nameHolder(newest);
      if (holder !== undefined) {
        if (await accountOf(holder)) return false;
        // Reserved, but its registration was never written: release it, then reserve after the release.
        try {
          await append({ type: "UsernameReleased", data: { userId: holder, username, releasedAt: now().toISOString() } }, expected, correlationId, userId);
        } catch (error) {
          if (hasErrorCode(error, "wrong_expected_revision")) continue;
          throw error;
        }
        expected = (expected as bigint) + 1n;
      }
      try {
        await append({ type: "UsernameReserved", data: { userId, username } }, expected, correlationId, userId);
        return true;
      } catch (error) {
        if (!hasErrorCode(error, "wrong_expected_revision")) throw error;
      }
    }
    return false;
  }

  return {
    async register({ username, password, correlationId }) {
      const passwordProblem = checkPassword(password);
      if (passwordProblem) return { ok: false, error: passwordProblem };
      const userId = newId();
      const decision = decideRegisterUser({ type: "RegisterUser", userId, username, passwordHash: await passwords.hash(password), now: now() });
      if (!decision.ok) return decision;
      const registration = decision.events.find((event) => event.type === "UserRegistered")!;
      // 1. The user's own stream: alone it is unreachable (no name leads to it) and harmless.
      await append(registration, "no_stream", correlationId, userId);
      // 2. The name: the commit point.
      if (!(await reserve(username, userId, correlationId))) {
        return { ok: false, error: { code: "username_taken", message: `the username ${username} is taken` } };
      }
      return { ok: true, account: { id: userId, username } };
    },

    async authenticate(username, password) {
      if (checkPassword(password) || username.length > 64) return passwords.verifyNothing(password).then(() => undefined);
      const holder = nameHolder((await nameState(username)).newest);
      const account = holder === undefined ? undefined : await accountOf(holder);
      if (!account) return passwords.verifyNothing(password).then(() => undefined);
      const { ok, needsRehash } = await passwords.verify(password, account.passwordHash);
      if (!ok) return undefined;
      if (needsRehash) {
        // A busy hashing queue does not undo a right password: the upgrade waits for the next sign-in.
        const passwordHash = await passwords.hash(password).catch((error: unknown) => {
          if (error instanceof PasswordHashingBusy) return undefined;
          throw error;
        });
        if (passwordHash) await append({ type: "PasswordRehashed", data: { userId: account.userId, passwordHash, rehashedAt: now().toISOString() } }, "any", newId(), account.userId);
      }
      return { id: account.userId, username: account.username };
    },

    async startSession(account, correlationId) {
      const startedAt = now();
      const session = { sessionId: newId(), startedAt, expiresAt: new Date(startedAt.getTime() + deps.sessionTtlSeconds * 1000) };
      const data = { userId: account.id, sessionId: session.sessionId, startedAt: startedAt.toISOString(), expiresAt: session.expiresAt.toISOString() };
      await append({ type: "SessionStarted", data }, "any", correlationId, account.id);
      return session;
    },

    async endSession(userId, sessionId, correlationId) {
      await append({ type: "SessionEnded", data: { userId, sessionId, endedAt: now().toISOString() } }, "any", correlationId, userId);
    },

    async endAllSessions(userId, correlationId) {
      const endedAt = now();
      await append({ type: "AllSessionsEnded", data: { userId, endedAt: endedAt.toISOString() } }, "any", correlationId, userId);
      return endedAt;
    },
  };
}

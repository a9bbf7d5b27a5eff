// Registration and sign-in, straight against the event store so a new account can sign in at once.
import type { DomainError } from "../domain/errors.ts";
import { parseUserEvent } from "../domain/events.ts";
import { usernameStream, userStream } from "../domain/streams.ts";
import { checkPassword, decideRegisterUser } from "../domain/users.ts";
import { hasErrorCode, type EventStore } from "../eventstore/port.ts";
import { hashPassword, verifyPassword } from "./passwordHash.ts";

export interface Account {
  id: string;
  username: string;
}

export type RegistrationResult = { ok: true; account: Account } | { ok: false; error: DomainError | { code: "username_taken"; message: string } };

export interface UserAccounts {
  register(input: { username: string; password: string; correlationId: string }): Promise<RegistrationResult>;
  /** The account, or undefined when the name or the password is wrong. */
  authenticate(username: string, password: string): Promise<Account | undefined>;
}

export function createUserAccounts(deps: { store: EventStore; newId: () => string; now: () => Date }): UserAccounts {
  const { store, newId, now } = deps;

  async function readFirst(streamId: string) {
    try {
      const [first] = await store.readStream(streamId, { maxCount: 1 });
      return first;
    } catch (error) {
      if (hasErrorCode(error, "stream_not_found")) return undefined;
      throw error;
    }
  }

  return {
    async register({ username, password, correlationId }) {
      const passwordProblem = checkPassword(password);
      if (passwordProblem) return { ok: false, error: passwordProblem };
      const userId = newId();
      const decision = decideRegisterUser({ type: "RegisterUser", userId, username, passwordHash: await hashPassword(password), now: now() });
      if (!decision.ok) return decision;
      const metadata = { actorId: userId, correlationId, causationId: correlationId };
      const [reservation, registration] = decision.events;
      try {
        // The reservation stream can be opened once: the store makes the name unique.
        await store.appendToStream(usernameStream(username), [{ id: newId(), type: reservation!.type, data: reservation!.data, metadata }], {
          expectedRevision: "no_stream",
        });
      } catch (error) {
        if (hasErrorCode(error, "wrong_expected_revision")) {
          return { ok: false, error: { code: "username_taken", message: `the username ${username} is taken` } };
        }
        throw error;
      }
      await store.appendToStream(userStream(userId), [{ id: newId(), type: registration!.type, data: registration!.data, metadata }], {
        expectedRevision: "no_stream",
      });
      return { ok: true, account: { id: userId, username } };
    },

    async authenticate(username, password) {
      if (checkPassword(password) || username.length > 64) return undefined;
      const reservation = await readFirst(usernameStream(username));
      if (!reservation) return undefined;
      const reserved = parseUserEvent(reservation.type, reservation.data);
      if (reserved.type !== "UsernameReserved") return undefined;
      const registration = await readFirst(userStream(reserved.data.userId));
      if (!registration) return undefined;
      const registered = parseUserEvent(registration.type, registration.data);
      if (registered.type !== "UserRegistered") return undefined;
      if (!(await verifyPassword(password, registered.data.passwordHash))) return undefined;
      return { id: registered.data.userId, username: registered.data.username };
    },
  };
}

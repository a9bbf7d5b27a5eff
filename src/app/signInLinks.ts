// Signing in by a link the platform made (/sso, /embed): its token is checked like a Bearer token,
// must carry a jti, and is spent by an event in a stream of its own appended with "no_stream", so the
// store refuses a second use on every process. Then a handoff session, as a password sign-in starts.
import { createHash } from "node:crypto";
import type { UserEvent } from "../domain/events.ts";
import { platformUserId } from "../domain/platformIds.ts";
import { streamOfUserEvent } from "../domain/streams.ts";
import { hasErrorCode, type EventStore } from "../eventstore/port.ts";
import type { PlatformSignIn } from "./platformSignIn.ts";
import { PlatformTokenError } from "./platformTokens.ts";
import type { Account, Session, UserAccounts } from "./userAccounts.ts";

export interface SignInLinks {
  /** The platform user and their new session; throws PlatformTokenError (bad, expired, without jti, or used). */
  redeem(token: string, correlationId: string): Promise<{ account: Account; session: Session }>;
}

/** The link's user is suspended by a moderator: no session for them. */
export class AccountSuspended extends Error {}

export interface SignInLinksDeps {
  store: EventStore;
  newId: () => string;
  now: () => Date;
  signIn: PlatformSignIn;
  accounts: UserAccounts;
  isSuspended(userId: string): boolean;
}

export function createSignInLinks(deps: SignInLinksDeps): SignInLinks {
  const { store, newId, now, signIn, accounts, isSuspended } = deps;

  /** The use is the commit point: a crash after it spends the link (the platform makes another). */
  async function spend(jti: string, userId: string, correlationId: string): Promise<void> {
    const jtiDigest = createHash("sha256").update(jti).digest("hex");
    const used: UserEvent = { type: "PlatformTokenUsed", data: { jtiDigest, userId, usedAt: now().toISOString() } };
    const metadata = { actorId: userId, correlationId, causationId: correlationId };
    try {
      await store.appendToStream(streamOfUserEvent(used), [{ id: newId(), type: used.type, data: used.data, metadata }], { expectedRevision: "no_stream" });
    } catch (error) {
      if (hasErrorCode(error, "wrong_expected_revision")) throw new PlatformTokenError("invalid_token", "this sign-in link was used already: open the chat from the platform again");
      throw error;
    }
  }

  return {
    async redeem(token, correlationId) {
      const claims = await signIn.verify(token);
      if (claims.jti === undefined) throw new PlatformTokenError("invalid_claims", "a sign-in link's token must carry a jti, which makes it one-time");
      if (isSuspended(platformUserId(claims.sub))) throw new AccountSuspended("this account is suspended by a moderator");
      await spend(claims.jti, platformUserId(claims.sub), correlationId);
      const user = await signIn.userOf(claims, correlationId);
      const account = { id: user.id, username: user.username };
      return { account, session: await accounts.startSession(account, correlationId) };
    },
  };
}

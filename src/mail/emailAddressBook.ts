// A user's e-mail facts, read from and written to their own stream: read, fold, decide, append at
// the expected revision (read again on a conflict), like blocks. Nothing here sends mail: the
// durable reactors follow these events and send. (The one-click unsubscribe is the notification
// settings' own change: src/app/emailServices.ts.)
import { decideEmailRequest, decideVerification, foldEmailState, type EmailDecision, type EmailState } from "../domain/emailAddresses.ts";
import type { CommandContext } from "../domain/eventMetadata.ts";
import { parseUserEvent, type UserEvent } from "../domain/events.ts";
import { userStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore, type ExpectedRevision } from "../eventstore/port.ts";
import type { MailTokens } from "./mailTokens.ts";

export type EmailOutcome = { ok: true; state: EmailState; written: boolean } | { ok: false; code: "invalid_email" | "stale_link" | "invalid_link"; message: string };

export interface EmailAddressBook {
  stateOf(userId: string): Promise<EmailState>;
  /** PUT /api/me/email: asks for `address` (its verification mail follows from the reactor). */
  request(userId: string, address: string, context: CommandContext): Promise<EmailOutcome>;
  /** The verification link's token: the address it names becomes the user's. */
  verify(token: string, correlationId: string): Promise<EmailOutcome>;
  /** A digest went out (the reactor, after sending). */
  recordDigest(userId: string, data: { giveawayId: string; upToRevision: number; messageCount: number }, context: CommandContext): Promise<void>;
}

const maxAttempts = 4;

export function createEmailAddressBook(deps: { store: EventStore; tokens: MailTokens; newId: () => string; now: () => Date }): EmailAddressBook {
  const { store, tokens, newId, now } = deps;

  async function read(userId: string): Promise<{ state: EmailState; expected: ExpectedRevision }> {
    try {
      const events = await store.readStream(userStream(userId));
      return { state: foldEmailState(events.map((event) => parseUserEvent(event.type, event.data))), expected: events.at(-1)!.revision };
    } catch (error) {
      if (!hasErrorCode(error, "stream_not_found")) throw error;
      return { state: foldEmailState([]), expected: "no_stream" };
    }
  }

  /** Read, decide, append; again on a conflict with another writer of the same stream. */
  async function change(userId: string, decide: (state: EmailState) => EmailDecision, context: CommandContext): Promise<EmailOutcome> {
    for (let attempt = 1; ; attempt++) {
      const { state, expected } = await read(userId);
      const decision = decide(state);
      if (!decision.ok) return decision;
      if (decision.events.length === 0) return { ok: true, state, written: false };
      const toAppend = decision.events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata: { ...context } }));
      try {
        await store.appendToStream(userStream(userId), toAppend, { expectedRevision: expected });
        return { ok: true, state: foldEmailState(decision.events as UserEvent[], state), written: true };
      } catch (error) {
        if (!hasErrorCode(error, "wrong_expected_revision") || attempt >= maxAttempts) throw error;
      }
    }
  }

  const invalidLink = { ok: false, code: "invalid_link", message: "this link is not valid (or no longer): ask for a new one" } as const;

  return {
    stateOf: async (userId) => (await read(userId)).state,
    request: (userId, address, context) => change(userId, (state) => decideEmailRequest(state, userId, address, now()), context),
    async verify(token, correlationId) {
      const claims = tokens.check(token, "verify", now());
      if (!claims) return invalidLink;
      const context = { actorId: claims.userId, correlationId, causationId: correlationId };
      return change(claims.userId, (state) => decideVerification(state, claims.userId, claims.address, now()), context);
    },
    async recordDigest(userId, data, context) {
      await change(
        userId,
        (state) =>
          // Recorded once: a repeated wake-up finds it there.
          (state.digestedUpTo[data.giveawayId] ?? -1) >= data.upToRevision
            ? { ok: true, events: [] }
            : { ok: true, events: [{ type: "EmailDigestSent", data: { userId, ...data, sentAt: now().toISOString() } }] },
        context,
      );
    },
  };
}

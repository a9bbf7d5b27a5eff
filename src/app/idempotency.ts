// A platform call's Idempotency-Key: the first successful answer is recorded as an event in a stream
// of its own per (service key name, SHA-256 of the key), so a retry gets the same answer and stores
// nothing new, on any process and after a restart. Calls with one key take turns in this process.
//
// Only successes (2xx) are recorded: a refusal stored nothing, so a retry is simply decided again
// (and may succeed once the giveaway allows it, e.g. the entrant it named has arrived since).
//
// If the process dies after the command is stored but before its answer is recorded, the retry runs
// the command again on the state it left: a create or entrant call then answers 200 ("already so")
// instead of 201, a system message is recognised by its id (derived from the key) and stored once, a
// redraw to the same winner changes nothing, but a repeated draw or cancel is refused (409
// already_drawn / giveaway_cancelled) while the giveaway shows that it happened.
import { createHash } from "node:crypto";
import { canonicalJson } from "../domain/hashChain.ts";
import { idempotencyEvents, recordedAnswerOf, replayOf, type IdempotentAnswer } from "../domain/platformIdempotency.ts";
import { idempotencyStream } from "../domain/streams.ts";
import { hasErrorCode, type EventStore } from "../eventstore/port.ts";

export interface IdempotentCall {
  keyName: string;
  idempotencyKey: string;
  method: string;
  path: string;
  body: unknown;
  correlationId: string;
}

export interface Answer {
  status: number;
  body: unknown;
}

export type IdempotentOutcome = { kind: "answered"; answer: Answer; replayed: boolean } | { kind: "conflict" };

export interface IdempotentAnswers {
  /** Runs `execute` unless this key already has an answer; throws whatever `execute` throws (nothing recorded). */
  once(call: IdempotentCall, execute: () => Promise<Answer>): Promise<IdempotentOutcome>;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The same method, path and body (keys in any order) hash alike. */
export function requestHashOf(call: Pick<IdempotentCall, "method" | "path" | "body">): string {
  return sha256(canonicalJson([call.method.toUpperCase(), call.path, call.body ?? null]));
}

export function idempotencyKeyHashOf(idempotencyKey: string): string {
  return sha256(idempotencyKey);
}

export function createIdempotentAnswers(deps: { store: EventStore; newId: () => string; now: () => Date }): IdempotentAnswers {
  const { store, newId, now } = deps;
  const turns = new Map<string, Promise<unknown>>();

  async function recorded(streamId: string): Promise<IdempotentAnswer | undefined> {
    try {
      const events = await store.readStream(streamId, { maxCount: 1 });
      return recordedAnswerOf(events.map((event) => idempotencyEvents.parse(event.type, event.data)));
    } catch (error) {
      if (hasErrorCode(error, "stream_not_found")) return undefined;
      throw error;
    }
  }

  async function run(streamId: string, call: IdempotentCall, execute: () => Promise<Answer>): Promise<IdempotentOutcome> {
    const requestHash = requestHashOf(call);
    const outcome = (stored: IdempotentAnswer): IdempotentOutcome => {
      const replay = replayOf(stored, requestHash);
      return replay === "conflict" ? { kind: "conflict" } : { kind: "answered", answer: replay, replayed: true };
    };
    const before = await recorded(streamId);
    if (before) return outcome(before);
    const answer = await execute();
    if (answer.status < 200 || answer.status > 299) return { kind: "answered", answer, replayed: false };
    const data = {
      keyName: call.keyName,
      idempotencyKeyHash: idempotencyKeyHashOf(call.idempotencyKey),
      requestHash,
      status: answer.status,
      body: answer.body ?? null,
      recordedAt: now().toISOString(),
    };
    const metadata = { actorId: `platform:${call.keyName}`, correlationId: call.correlationId, causationId: call.correlationId };
    try {
      await store.appendToStream(streamId, [{ id: newId(), type: "IdempotentAnswerRecorded", data: idempotencyEvents.parse("IdempotentAnswerRecorded", data).data, metadata }], { expectedRevision: "no_stream" });
    } catch (error) {
      if (!hasErrorCode(error, "wrong_expected_revision")) throw error;
      // Another process answered this key first: its answer is the one that stands.
      const first = await recorded(streamId);
      if (first) return outcome(first);
      throw error;
    }
    return { kind: "answered", answer, replayed: false };
  }

  return {
    once(call, execute) {
      const streamId = idempotencyStream(call.keyName, idempotencyKeyHashOf(call.idempotencyKey));
      const previous = turns.get(streamId) ?? Promise.resolve();
      const mine = previous.then(() => run(streamId, call, execute), () => run(streamId, call, execute));
      const settled = mine.catch(() => {});
      turns.set(streamId, settled);
      void settled.then(() => {
        if (turns.get(streamId) === settled) turns.delete(streamId);
      });
      return mine;
    },
  };
}

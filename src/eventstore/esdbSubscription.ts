// The EventStoreDB catch-up subscription: paused-mode reads, caughtUp placement, reconnects with backoff.
import type { CatchupSubscription, ReadableSubscription } from "@eventstore/db-client";
import { isConnectionError, noop, translateError } from "./esdbErrors.ts";
import type { RecordedEvent, Subscription, SubscriptionItem } from "./port.ts";

/** Reconnect delays after a dropped subscription: 250 ms doubling up to 5 s. */
const firstRetryDelayMs = 250;
const maxRetryDelayMs = 5000;

export type EsdbSubscription<E> = ReadableSubscription<E> & CatchupSubscription;

export interface SubscriptionSource<E> {
  /** Opens the underlying subscription from the last checkpoint (may do a lookup first). */
  open(): Promise<EsdbSubscription<E>>;
  /** Advances the checkpoint past `chunk`; returns the event to deliver, or undefined to skip it. */
  accept(chunk: E): RecordedEvent | undefined;
}

interface Attachment<E> {
  sub: EsdbSubscription<E>;
  /**
   * Set when the server says it caught up: how many chunks buffered in the readable side at that
   * moment still come before the signal. null while no signal is pending.
   */
  caughtUpAfter: number | null;
  failed: boolean;
  error: unknown;
  ended: boolean;
  detach(): Promise<void>;
}

const done: IteratorResult<SubscriptionItem> = { done: true, value: undefined };
const caughtUp: IteratorResult<SubscriptionItem> = { done: false, value: { kind: "caughtUp" } };

/**
 * A catch-up subscription that reads the client's subscription in paused mode, one item per `next()`:
 * the client's stream buffers at most its high-water mark, then gRPC flow control holds the server
 * back, so nothing is buffered without bound. Drops caused by the connection are retried with
 * backoff from the last checkpoint taken from the stream, so consumers see neither gaps nor duplicates.
 */
export class ResilientSubscription<E> implements Subscription {
  readonly #source: SubscriptionSource<E>;
  readonly #onFinish: () => void;
  #attachment: Attachment<E> | undefined;
  #stopped = false;
  #finished = false;
  #caughtUpSent = false;
  #stash: RecordedEvent | undefined;
  #failures = 0;
  #wake: (() => void) | undefined;
  #cancelSleep: (() => void) | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(source: SubscriptionSource<E>, onFinish: () => void) {
    this.#source = source;
    this.#onFinish = onFinish;
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
    return {
      next: () => this.#enqueue(),
      return: async () => {
        await this.stop();
        return done;
      },
    };
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#finish();
    this.#wake?.();
    this.#cancelSleep?.();
    const attachment = this.#attachment;
    this.#attachment = undefined;
    if (attachment) await attachment.detach();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#onFinish();
  }

  /** Calls to next() are served one at a time, in order. */
  #enqueue(): Promise<IteratorResult<SubscriptionItem>> {
    const result = this.#tail.then(() => this.#pull());
    this.#tail = result.catch(noop);
    return result;
  }

  async #fail(error: unknown): Promise<never> {
    const attachment = this.#attachment;
    this.#attachment = undefined;
    this.#finish();
    if (attachment) await attachment.detach();
    throw translateError(error, "subscription");
  }

  async #pull(): Promise<IteratorResult<SubscriptionItem>> {
    for (;;) {
      if (this.#stopped || this.#finished) return done;
      const stashed = this.#stash;
      if (stashed) {
        this.#stash = undefined;
        return { done: false, value: { kind: "event", event: stashed } };
      }
      const attachment = this.#attachment ?? (await this.#connect());
      if (!attachment || this.#stopped) continue;

      if (attachment.caughtUpAfter === 0) {
        attachment.caughtUpAfter = null;
        if (!this.#caughtUpSent) {
          this.#caughtUpSent = true;
          return caughtUp;
        }
        continue;
      }

      // read() and the bookkeeping below run synchronously, so the caught-up count stays exact.
      const chunk = attachment.sub.read() as E | null;
      if (chunk !== null) {
        this.#failures = 0;
        let afterCaughtUp = false;
        if (attachment.caughtUpAfter !== null) {
          if (attachment.caughtUpAfter > 0) attachment.caughtUpAfter -= 1;
          else afterCaughtUp = true;
        }
        let event: RecordedEvent | undefined;
        try {
          event = this.#source.accept(chunk);
        } catch (error) {
          return this.#fail(error);
        }
        if (afterCaughtUp) {
          attachment.caughtUpAfter = null;
          if (!this.#caughtUpSent) {
            this.#caughtUpSent = true;
            this.#stash = event;
            return caughtUp;
          }
        }
        if (event) return { done: false, value: { kind: "event", event } };
        continue;
      }

      if (attachment.failed || attachment.ended) {
        // Everything buffered has been delivered; the checkpoint is the last chunk taken.
        if (attachment.failed && !isConnectionError(attachment.error)) return this.#fail(attachment.error);
        this.#attachment = undefined;
        void attachment.detach();
        this.#failures += 1;
        continue;
      }

      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  async #connect(): Promise<Attachment<E> | undefined> {
    while (!this.#stopped) {
      if (this.#failures > 0) {
        await this.#sleep(Math.min(firstRetryDelayMs * 2 ** (this.#failures - 1), maxRetryDelayMs));
        if (this.#stopped) return undefined;
      }
      let sub: EsdbSubscription<E>;
      try {
        sub = await this.#source.open();
      } catch (error) {
        if (!isConnectionError(error)) return this.#fail(error);
        this.#failures += 1;
        continue;
      }
      const attachment = this.#attach(sub);
      if (this.#stopped) {
        await attachment.detach();
        return undefined;
      }
      this.#attachment = attachment;
      return attachment;
    }
    return undefined;
  }

  #attach(sub: EsdbSubscription<E>): Attachment<E> {
    const wake = () => this.#wake?.();
    const attachment: Attachment<E> = {
      sub,
      caughtUpAfter: null,
      failed: false,
      error: undefined,
      ended: false,
      detach: async () => {
        for (const [event, listener] of listeners) sub.removeListener(event, listener);
        // The client emits errors on the stream directly; an emitter with no listener would throw.
        sub.on("error", noop);
        try {
          await sub.unsubscribe();
        } catch {
          // already gone
        }
        sub.destroy();
      },
    };
    const onCaughtUp = () => {
      if (this.#caughtUpSent || attachment.caughtUpAfter !== null) return;
      attachment.caughtUpAfter = sub.readableLength;
      wake();
    };
    const onConfirmation = () => {
      this.#failures = 0;
    };
    const onEnd = () => {
      attachment.ended = true;
      wake();
    };
    const onError = (error: unknown) => {
      if (!attachment.failed) {
        attachment.failed = true;
        attachment.error = error;
      }
      wake();
    };
    // Attached and detached together, so none is left behind on a dropped subscription.
    const listeners: [string, (...args: unknown[]) => void][] = [
      ["readable", wake],
      ["caughtUp", onCaughtUp],
      ["confirmation", onConfirmation],
      ["end", onEnd],
      ["close", onEnd],
      ["error", onError],
    ];
    for (const [event, listener] of listeners) sub.on(event, listener);
    return attachment;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#cancelSleep = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#cancelSleep = finish;
    });
  }
}

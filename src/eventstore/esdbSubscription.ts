// The EventStoreDB catch-up subscription: paused-mode reads, caughtUp placement, reconnects with backoff.
import type { CatchupSubscription, ReadableSubscription } from "@eventstore/db-client";
import type { Logger } from "../observability/logger.ts";
import { errorFields } from "../observability/logger.ts";
import { describe, isConnectionError, noop, translateError } from "./esdbErrors.ts";
import { minimumServerVersion } from "./esdbEvents.ts";
import { EventStoreError, type RecordedEvent, type Subscription, type SubscriptionItem } from "./port.ts";

export interface ResilienceOptions {
  log: Pick<Logger, "info" | "warn">;
  /** Named in log lines and errors, e.g. "subscription to $all". */
  what: string;
  /** Never reached the server within this: give up with a clear error (a reached server is retried forever). */
  connectTimeoutMs: number;
  /** No caught-up signal and nothing received for this long: the server never sends one (see docs/eventstoredb.md). */
  catchUpIdleTimeoutMs: number;
  /** Reconnect delays: this doubling up to `maxRetryDelayMs`. Default 250 ms up to 5 s. */
  firstRetryDelayMs?: number;
  maxRetryDelayMs?: number;
}

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
  readonly #options: ResilienceOptions;
  readonly #startedAt = Date.now();
  #connected = false;
  #lastActivity = Date.now();
  #idleTimer: NodeJS.Timeout | undefined;
  #attachment: Attachment<E> | undefined;
  #stopped = false;
  #finished = false;
  #caughtUpSent = false;
  #stash: RecordedEvent | undefined;
  #failures = 0;
  #wake: (() => void) | undefined;
  #cancelSleep: (() => void) | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(source: SubscriptionSource<E>, onFinish: () => void, options: ResilienceOptions) {
    this.#source = source;
    this.#onFinish = onFinish;
    this.#options = options;
    options.log.info({ subscription: options.what }, "waiting for EventStoreDB: catching up");
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
    clearTimeout(this.#idleTimer);
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
    clearTimeout(this.#idleTimer);
    const attachment = this.#attachment;
    this.#attachment = undefined;
    this.#finish();
    if (attachment) await attachment.detach();
    throw translateError(error, "subscription");
  }

  async #pull(): Promise<IteratorResult<SubscriptionItem>> {
    // Silence is counted from when the consumer asks, so a slow consumer is not taken for a silent server.
    this.#lastActivity = Date.now();
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
        if (!this.#caughtUpSent) return this.#sendCaughtUp();
        continue;
      }

      // read() and the bookkeeping below run synchronously, so the caught-up count stays exact.
      const chunk = attachment.sub.read() as E | null;
      if (chunk !== null) {
        this.#failures = 0;
        this.#connected = true;
        this.#lastActivity = Date.now();
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
            this.#stash = event;
            return this.#sendCaughtUp();
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
        const givingUp = this.#retryOrGiveUp(attachment.error ?? new Error("the server ended the subscription"));
        if (givingUp) return this.#fail(givingUp);
        continue;
      }

      const idle = this.#waitForData();
      if (idle) return this.#fail(idle);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  #sendCaughtUp(): IteratorResult<SubscriptionItem> {
    this.#caughtUpSent = true;
    clearTimeout(this.#idleTimer);
    this.#options.log.info({ subscription: this.#options.what }, "EventStoreDB subscription caught up");
    return caughtUp;
  }

  /** Before the caught-up signal, waiting has a bound: a server that never sends it must not hang start-up. */
  #waitForData(): Error | undefined {
    clearTimeout(this.#idleTimer);
    if (this.#caughtUpSent) return undefined;
    const { catchUpIdleTimeoutMs, what } = this.#options;
    const remaining = this.#lastActivity + catchUpIdleTimeoutMs - Date.now();
    if (remaining <= 0) {
      return new EventStoreError(
        "unavailable",
        `EventStoreDB ${what}: no caught-up signal after ${Math.round(catchUpIdleTimeoutMs / 1000)} s without new events. ` +
          `Servers before 23.10 never send it (and before 24.2 not for a stream that does not exist yet): use EventStoreDB ${minimumServerVersion} or later ` +
          "(EVENTSTORE_CATCHUP_IDLE_TIMEOUT_MS sets this wait)",
      );
    }
    this.#idleTimer = setTimeout(() => this.#wake?.(), remaining);
    return undefined;
  }

  /** Logs a failed try; after the connect timeout, when the server was never reached, the error to give up with. */
  #retryOrGiveUp(error: unknown): Error | undefined {
    this.#failures += 1;
    const { log, what, connectTimeoutMs } = this.#options;
    const waited = Date.now() - this.#startedAt;
    if (!this.#connected && waited >= connectTimeoutMs) {
      return new EventStoreError(
        "unavailable",
        `EventStoreDB unreachable for ${what}: gave up after ${this.#failures} tries in ${Math.round(waited / 1000)} s ` +
          `(EVENTSTORE_CONNECT_TIMEOUT_MS=${connectTimeoutMs}); last error: ${describe(error)}`,
      );
    }
    log.warn(
      { subscription: what, attempt: this.#failures, retryInMs: this.#retryDelay(), ...errorFields(error) },
      this.#connected ? "EventStoreDB subscription dropped, resubscribing" : "EventStoreDB unreachable, retrying",
    );
    return undefined;
  }

  #retryDelay(): number {
    const first = this.#options.firstRetryDelayMs ?? 250;
    return Math.min(first * 2 ** Math.max(0, this.#failures - 1), this.#options.maxRetryDelayMs ?? 5000);
  }

  async #connect(): Promise<Attachment<E> | undefined> {
    while (!this.#stopped) {
      if (this.#failures > 0) {
        await this.#sleep(this.#retryDelay());
        if (this.#stopped) return undefined;
      }
      let sub: EsdbSubscription<E>;
      try {
        sub = await this.#source.open();
      } catch (error) {
        if (!isConnectionError(error)) return this.#fail(error);
        const givingUp = this.#retryOrGiveUp(error);
        if (givingUp) return this.#fail(givingUp);
        continue;
      }
      this.#lastActivity = Date.now();
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
      this.#connected = true;
      this.#lastActivity = Date.now();
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

// Every open live stream of the process, so a shutdown can tell each one to reconnect elsewhere.
export interface ClosableStream {
  /** Sends a last frame telling the client to come back after `retryMs`, then ends. */
  shutdown(retryMs: number): void;
}

export interface OpenStreams {
  /** Registers an open stream (one opened during a shutdown gets its shutdown frame at once). */
  add(stream: ClosableStream): void;
  /** Forgets a stream (when it closes). */
  remove(stream: ClosableStream): void;
  /** Ends every open stream, and each one opened from now on, with the shutdown frame. Returns how many. */
  shutdownAll(retryMs: number): number;
  readonly size: number;
}

export function createOpenStreams(): OpenStreams {
  const streams = new Set<ClosableStream>();
  let shutdownRetryMs: number | undefined;
  return {
    add(stream) {
      if (shutdownRetryMs !== undefined) return stream.shutdown(shutdownRetryMs);
      streams.add(stream);
    },
    remove(stream) {
      streams.delete(stream);
    },
    shutdownAll(retryMs) {
      shutdownRetryMs = retryMs;
      const all = [...streams];
      streams.clear();
      for (const stream of all) stream.shutdown(retryMs);
      return all.length;
    },
    get size() {
      return streams.size;
    },
  };
}

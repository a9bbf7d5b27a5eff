// "Someone is typing": ephemeral, never an event in the store. Behind this small port so a later
// scale-out can carry it between processes (short-lived store streams) instead of process memory.

export interface TypingSignal {
  giveawayId: string;
  userId: string;
  username: string;
  /** ISO time until which the typing indicator shows, unless a message or a new signal comes first. */
  until: string;
}

export interface TypingSignals {
  publish(signal: TypingSignal): void;
  /** Every signal published (by any process, once scaled out); returns the function that stops listening. */
  subscribe(listener: (signal: TypingSignal) => void): () => void;
}

/** One process: signals go straight to this process's listeners. */
export function inProcessTypingSignals(): TypingSignals {
  const listeners = new Set<(signal: TypingSignal) => void>();
  return {
    publish(signal) {
      for (const listener of [...listeners]) listener(signal);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** How long one signal lasts: a page re-sends while its user keeps typing. */
export const typingSignalMs = 6000;

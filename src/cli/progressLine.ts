// A progress line on stderr for long runs: rewritten in place on a terminal, one line per step otherwise.
export interface ProgressLine {
  update(count: number): void;
  /** Clears a terminal line; prints nothing when no step was ever reached. */
  done(): void;
}

/** PROGRESS_EVERY (events) overrides the default step of 50,000. */
export function progressLine(label: string, options: { every?: number; stream?: NodeJS.WriteStream } = {}): ProgressLine {
  const stream = options.stream ?? process.stderr;
  const fromEnv = Number(process.env.PROGRESS_EVERY);
  const every = options.every ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 50_000);
  const started = performance.now();
  let nextStep = every;
  let shown = false;
  return {
    update(count) {
      if (count < nextStep) return;
      nextStep = (Math.floor(count / every) + 1) * every;
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(count / seconds) : count;
      const text = `${label}: ${count.toLocaleString("en")} events (${rate.toLocaleString("en")} events/s)`;
      if (stream.isTTY) stream.write(`\r${text}\u001b[K`);
      else stream.write(`${text}\n`);
      shown = true;
    },
    done() {
      if (shown && stream.isTTY) stream.write("\r\u001b[K");
    },
  };
}

// One structured JSON logger for the process (pino). Secrets and message text never reach it:
// the paths below are redacted wherever they appear, and callers log ids, never content.
import { pino, type Logger } from "pino";

export type { Logger };

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

const redactedPaths = [
  "password",
  "*.password",
  "token",
  "*.token",
  "content",
  "*.content",
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
];

function initialLevel(): LogLevel {
  const given = process.env.LOG_LEVEL;
  return (logLevels as readonly string[]).includes(given ?? "") ? (given as LogLevel) : "info";
}

/** The process's logger; main.ts sets its level from the config. Children add a `component`. */
export const logger: Logger = pino({
  level: initialLevel(),
  base: { pid: process.pid },
  redact: { paths: redactedPaths, censor: "[redacted]" },
});

export function componentLogger(component: string): Logger {
  return logger.child({ component });
}

/** An error as one log field: its message and code, without the stack for expected failures. */
export function errorFields(error: unknown, withStack = false): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const code = (error as { code?: unknown }).code;
  return { error: error.message, ...(code !== undefined ? { code } : {}), ...(withStack ? { stack: error.stack } : {}) };
}

// The CLI's way into the store: the same configuration as the server (DATA_DIR, EVENT_STORE, ...).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, loadConfig, type Config } from "../config.ts";
import { openEventStore } from "../eventstore/openEventStore.ts";
import type { EventStore } from "../eventstore/port.ts";

/** Exit code when the command could not run at all (bad arguments, no store, no such giveaway). */
export const cannotRun = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = cannotRun,
  ) {
    super(message);
  }
}

export async function openCliStore(env: NodeJS.ProcessEnv = process.env): Promise<{ config: Config; store: EventStore }> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  if (config.eventStore.kind === "sqlite") {
    const file = join(config.dataDir, "events.db");
    // Opening a missing file would create an empty store: say what is wrong instead.
    if (!existsSync(file)) throw new CliError(`no event store at ${file} (set DATA_DIR to the server's data directory)`);
  }
  return { config, store: await openEventStore(config) };
}

/** Runs a command: prints a CliError's message and exits with its code; anything else is a crash. */
export function runCli(command: () => Promise<number>): void {
  // Once the command is done, nothing left open (a store client's sockets) may keep the process alive.
  const exitSoon = () => setTimeout(() => process.exit(), 2000).unref();
  command().finally(exitSoon).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof CliError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = error.exitCode;
      } else {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      }
    },
  );
}

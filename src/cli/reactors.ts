// npm run reactors -- status | retry <name>... | skip <name>...
// Shows each durable reactor's checkpoint, which process runs it, its stored wake-ups and, when it
// stopped, the event it stopped on; and resolves that: retry hands the event to it again (after a
// fix), skip records the event as passed over and goes on after it. Works while servers run (the
// one holding the reactor takes it up again within seconds) or while they are down. Stored events
// are never changed. Exit: 0 done / all running, 1 some reactor stopped, 2 could not run.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.ts";
import {
  clearReactorFailure,
  describeReactorFailure,
  openReactorState,
  reactorStateFile,
  readFailingWakeUps,
  readReactorSkips,
  readReactorStates,
  skipReactorFailure,
} from "../reactors/reactorState.ts";
import { CliError, runCli } from "./cliStore.ts";
import { terminalSafe } from "./terminalText.ts";

const usage = "usage: npm run reactors -- status | retry <name>... | skip <name>...";

function out(line: string): void {
  process.stdout.write(`${terminalSafe(line)}\n`);
}

const instant = (ms: number) => new Date(ms).toISOString();

async function reactors(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: {} });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${usage}`);
  }
  const [command, ...names] = parsed.positionals;
  if (command !== "status" && command !== "retry" && command !== "skip") throw new CliError(usage);
  if (command === "status" && names.length > 0) throw new CliError(usage);
  if (command !== "status" && names.length === 0) throw new CliError(`${command} needs the reactor's name\n${usage}`);

  let dataDir: string;
  try {
    dataDir = loadConfig().dataDir;
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  const file = reactorStateFile(dataDir);
  if (!existsSync(file)) throw new CliError(`no reactor state at ${file} (set DATA_DIR to the server's data directory; it is made at the server's first start)`);
  const db = openReactorState(file);
  try {
    const states = readReactorStates(db);
    const known = new Set(states.map((state) => state.name));
    for (const name of names) if (!known.has(name)) throw new CliError(`no reactor named ${name} (there are: ${[...known].join(", ")})`);

    if (command === "status") {
      for (const state of states) {
        const position = state.position === undefined ? "nothing handled yet" : `checkpoint ${state.position}`;
        const runBy = state.lease ? `run by ${state.lease.holder}` : "run by no process now";
        const wakes = state.wakeUps.count === 0 ? "no wake-ups" : `${state.wakeUps.count} wake-up(s), next due ${instant(state.wakeUps.nextDueAt!)}${state.wakeUps.failing > 0 ? `, ${state.wakeUps.failing} failing` : ""}`;
        const retrying = state.attempts > 0 && !state.failure ? `, ${state.attempts} failed attempt(s) at the next event` : "";
        out(state.failure ? `STOPPED ${describeReactorFailure(state.name, state.failure)} (${runBy}; ${wakes})` : `running ${state.name}: ${position}${retrying} (${runBy}; ${wakes})`);
      }
      for (const wake of readFailingWakeUps(db)) {
        out(`failing wake-up ${wake.reactor} ${wake.key}: ${wake.attempts} attempt(s), next at ${instant(wake.dueAt)}: ${wake.error}`);
      }
      for (const skip of readReactorSkips(db)) {
        out(`skipped by an operator at ${skip.skippedAt}: ${skip.name} passed over ${skip.streamId} revision ${skip.revision} (${skip.type}, event ${skip.eventId}): ${skip.error}`);
      }
      return states.some((state) => state.failure) ? 1 : 0;
    }

    for (const name of names) {
      const failure = states.find((state) => state.name === name)!.failure;
      if (!failure) {
        out(`${name}: not stopped, nothing to do`);
        continue;
      }
      if (command === "retry") {
        clearReactorFailure(db, name);
        out(`retry ${name}: it is handed ${failure.streamId} revision ${failure.revision} again (a running server takes it up within seconds)`);
      } else {
        const skip = skipReactorFailure(db, name, new Date());
        if (skip) out(`skip ${name}: passed over ${skip.streamId} revision ${skip.revision} (recorded; the stored event is unchanged)`);
      }
    }
    return 0;
  } finally {
    db.close();
  }
}

runCli(reactors);

// npm run projections -- status | retry [<name>...] | skip <name>... | skip --all | rebuild <name>...
// Shows each read model projection's checkpoint and the event a stopped one stopped on, and resolves
// it: retry applies the event again (after a fix), skip records it as passed over and goes on after it.
// Works while the server runs (it takes the projection up again within seconds) or while it is down.
// rebuild builds the named read models from zero (in a scratch file) and replaces only their tables;
// with a server running it rebuilds every read model online instead, as npm run rebuild does (a
// server's file cannot have some tables replaced under it; the whole file can be swapped).
// Stored events are never changed. Exit: 0 done / all running, 1 some projection stopped, 2 could not run.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.ts";
import { ReadModelInUseError, readModelFileName, rebuildProjections, rebuildReadModels } from "../audit/readModelRebuild.ts";
import { servedReadModelFiles } from "../projections/readModelSwap.ts";
import { reportSwaps } from "./swapReport.ts";
import { openReadModelDatabase } from "../projections/readModelDatabase.ts";
import { declaredReadModels } from "../app/declaredParts.ts";
import { progressLine } from "./progressLine.ts";
import { clearFailure, describeFailure, readProjectionSkips, readProjectionStates, skipFailedEvent } from "../projections/projectionStatus.ts";
import { CliError, openCliStore, runCli } from "./cliStore.ts";
import { terminalSafe } from "./terminalText.ts";
import { describeWebhookOutbox, readWebhookOutboxStatus } from "../app/webhookOutboxStatus.ts";

const usage = "usage: npm run projections -- status | retry [<name>...] | skip <name>... | skip --all | rebuild <name>...";

function out(line: string): void {
  process.stdout.write(`${terminalSafe(line)}\n`);
}

async function projections(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { all: { type: "boolean", default: false } } });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${usage}`);
  }
  const [command, ...names] = parsed.positionals;
  if (command === "rebuild") {
    if (names.length === 0 || parsed.values.all) throw new CliError(`rebuild needs the projection's name\n${usage}`);
    return rebuildNamed(names);
  }
  if (command !== "status" && command !== "retry" && command !== "skip") throw new CliError(usage);
  if (command === "status" && (names.length > 0 || parsed.values.all)) throw new CliError(usage);
  if (command === "skip" && names.length === 0 && !parsed.values.all) throw new CliError(`skip needs the projection's name (or --all)\n${usage}`);

  let dataDir: string;
  try {
    dataDir = loadConfig().dataDir;
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  const file = join(dataDir, readModelFileName);
  if (!existsSync(file)) throw new CliError(`no read models at ${file} (set DATA_DIR to the server's data directory)`);
  const db = openReadModelDatabase(file, declaredReadModels);
  try {
    const states = readProjectionStates(db);
    const known = new Set(states.map((state) => state.name));
    for (const name of names) if (!known.has(name)) throw new CliError(`no projection named ${name} (there are: ${[...known].join(", ")})`);

    if (command === "status") {
      for (const state of states) {
        const position = state.position === undefined ? "nothing applied yet" : `checkpoint ${state.position}`;
        out(state.failure ? `STOPPED ${describeFailure(state.name, state.failure)}` : `running ${state.name}: ${position}`);
      }
      for (const skip of readProjectionSkips(db)) {
        out(`skipped by an operator at ${skip.skippedAt}: ${skip.name} passed over ${skip.streamId} revision ${skip.revision} (${skip.type}, event ${skip.eventId}): ${skip.error}`);
      }
      // The webhook outbox follows the log like a projection (a durable reactor: npm run reactors -- retry|skip).
      const outbox = readWebhookOutboxStatus(dataDir);
      if (outbox) out(describeWebhookOutbox(outbox));
      return states.some((state) => state.failure) || outbox?.failure ? 1 : 0;
    }

    const chosen = states.filter((state) => state.failure && (names.length === 0 || names.includes(state.name)));
    if (chosen.length === 0) {
      out(names.length === 0 ? "no projection is stopped: nothing to do" : `${names.join(", ")}: not stopped, nothing to do`);
      return 0;
    }
    for (const state of chosen) {
      if (command === "retry") {
        clearFailure(db, state.name);
        out(`retry ${state.name}: it applies ${state.failure!.streamId} revision ${state.failure!.revision} again (a running server takes it up within seconds)`);
      } else {
        const skip = skipFailedEvent(db, state.name, new Date());
        if (skip) out(`skip ${state.name}: passed over ${skip.streamId} revision ${skip.revision} (recorded; the stored event is unchanged)`);
      }
    }
    return 0;
  } finally {
    db.close();
  }
}

async function rebuildNamed(names: string[]): Promise<number> {
  const known = declaredReadModels.map((projection) => projection.name);
  for (const name of names) if (!known.includes(name)) throw new CliError(`no projection named ${name} (there are: ${known.join(", ")})`);
  const { config, store } = await openCliStore();
  const progress = progressLine("rebuild");
  try {
    if (servedReadModelFiles(config.dataDir).length > 0) {
      const result = await rebuildReadModels({ store, dataDir: config.dataDir, projections: declaredReadModels, onProgress: (n) => progress.update(n) });
      progress.done();
      out(`a server is running: rebuilt every read model (${names.join(", ")} among them) from ${result.events} events in ${result.seconds.toFixed(2)} s, online`);
      const notSwapped = reportSwaps(result.swapped);
      for (const line of result.stopped) process.stderr.write(`${terminalSafe(`STOPPED ${line}`)}\n`);
      return result.stopped.length > 0 || notSwapped > 0 ? 1 : 0;
    }
    const result = await rebuildProjections({ store, dataDir: config.dataDir, projections: declaredReadModels, names, onProgress: (n) => progress.update(n) });
    progress.done();
    out(`rebuilt ${names.join(", ")} (${result.tables.join(", ")}) from ${result.events} events in ${result.seconds.toFixed(2)} s`);
    for (const line of result.stopped) process.stderr.write(`${terminalSafe(`STOPPED ${line}`)}\n`);
    return result.stopped.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ReadModelInUseError) throw new CliError(error.message);
    throw error;
  } finally {
    progress.done();
    await store.close();
  }
}

runCli(projections);

// npm run rebuild
// Rebuilds every read model from the start of the log into DATA_DIR/readmodels.rebuild.db, then
// renames it over readmodels.db; with servers running, each one catches a copy up to the live
// position and swaps it in while serving (readModelRebuild.ts). Refuses only while something that is
// not a server has readmodels.db open.
import { declaredReadModels } from "../app/declaredParts.ts";
import { ReadModelInUseError, rebuildReadModels } from "../audit/readModelRebuild.ts";
import { CliError, openCliStore, runCli } from "./cliStore.ts";
import { progressLine } from "./progressLine.ts";
import { reportSwaps } from "./swapReport.ts";

async function rebuild(): Promise<number> {
  if (process.argv.length > 2) throw new CliError("usage: npm run rebuild");
  const { config, store } = await openCliStore();
  const progress = progressLine("rebuild");
  try {
    const result = await rebuildReadModels({ store, dataDir: config.dataDir, projections: declaredReadModels, onProgress: (n) => progress.update(n) });
    progress.done();
    const rate = result.seconds > 0 ? Math.round(result.events / result.seconds) : result.events;
    process.stdout.write(`rebuilt ${result.file}: ${result.events} events in ${result.seconds.toFixed(2)} s (${rate} events/s)\n`);
    const notSwapped = reportSwaps(result.swapped);
    // The others are complete; these wait for the operator (npm run projections -- retry|skip).
    for (const line of result.stopped) process.stderr.write(`STOPPED ${line}\n`);
    return result.stopped.length > 0 || notSwapped > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ReadModelInUseError) throw new CliError(error.message);
    throw error;
  } finally {
    progress.done();
    await store.close();
  }
}

runCli(rebuild);

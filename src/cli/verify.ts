// npm run verify -- [<giveawayId>]
// Checks the hash chains of every giveaway stream (or one): exit 0 when intact, 1 naming the first
// break of each broken stream, 2 when the check could not run.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { describeBreak } from "../audit/chainCheck.ts";
import { blobFolderName, folderBlobStore } from "../attachments/blobStore.ts";
import { describeBlobProblem, verifyBlobs } from "../audit/blobVerification.ts";
import { verifyAllGiveaways, verifyGiveaway } from "../audit/chainVerification.ts";
import { readAllPages, readStreamPages } from "../audit/storePages.ts";
import { giveawayStream, giveawayStreamPrefix } from "../domain/streams.ts";
import { hasErrorCode, type RecordedEvent } from "../eventstore/port.ts";
import { CliError, openCliStore, runCli } from "./cliStore.ts";
import { progressLine } from "./progressLine.ts";

const usage = "usage: npm run verify -- [<giveawayId>]";

async function verify(): Promise<number> {
  let positionals: string[];
  try {
    positionals = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: {} }).positionals;
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${usage}`);
  }
  if (positionals.length > 1) throw new CliError(usage);
  const giveawayId = positionals[0];
  const { store, config } = await openCliStore();
  const blobs = folderBlobStore(join(config.dataDir, blobFolderName));
  /** Attachments: every referenced blob is there and matches its hash. Prints what is wrong; true when all is well. */
  const blobsIntact = async (events: AsyncIterable<RecordedEvent>): Promise<boolean> => {
    const result = await verifyBlobs(events, blobs);
    for (const found of result.problems) process.stdout.write(`BROKEN ${describeBlobProblem(found)}\n`);
    if (result.checked > 0 && result.problems.length === 0) process.stdout.write(`OK ${result.checked} attachments: bytes present and matching their sha256\n`);
    return result.problems.length === 0;
  };
  const progress = progressLine("verify");
  try {
    if (giveawayId !== undefined) {
      let result;
      try {
        result = await verifyGiveaway(store, giveawayId, (n) => progress.update(n));
      } catch (error) {
        if (hasErrorCode(error, "stream_not_found")) throw new CliError(`no giveaway ${giveawayId} in the store`);
        throw error;
      }
      progress.done();
      if (result.break) {
        process.stdout.write(`BROKEN ${describeBreak(result.break)}\n`);
        return 1;
      }
      process.stdout.write(`OK ${result.streamId}: ${result.events} events, head revision ${result.head.revision}, head hash ${result.head.hash}\n`);
      return (await blobsIntact(readStreamPages(store, giveawayStream(giveawayId)))) ? 0 : 1;
    }
    const result = await verifyAllGiveaways(store, (n) => progress.update(n));
    progress.done();
    for (const found of result.breaks) process.stdout.write(`BROKEN ${describeBreak(found)}\n`);
    const summary = `${result.streams} giveaway streams, ${result.events} events`;
    if (result.breaks.length > 0) {
      process.stdout.write(`${result.breaks.length} of ${summary}: hash chains broken\n`);
      return 1;
    }
    process.stdout.write(`OK ${summary}: hash chains intact\n`);
    return (await blobsIntact(readAllPages(store, { streamPrefixes: [giveawayStreamPrefix] }))) ? 0 : 1;
  } finally {
    progress.done();
    await store.close();
  }
}

runCli(verify);

// npm run replay -- <giveawayId> [--until <rev|time>] [--json]
// Prints a giveaway's conversation as it stood at a revision or a time, from the store alone.
import { parseArgs } from "node:util";
import { toAuditLine } from "../audit/auditLine.ts";
import { messageReplay } from "../audit/messageReplay.ts";
import { giveawayEventsUntil } from "../audit/conversationReplay.ts";
import { parseUntil, type Until } from "../audit/until.ts";
import { storeUserNames } from "../audit/userNames.ts";
import { hasErrorCode } from "../eventstore/port.ts";
import { CliError, openCliStore, runCli } from "./cliStore.ts";
import { progressLine } from "./progressLine.ts";
import { terminalSafe } from "./terminalText.ts";

const usage = "usage: npm run replay -- <giveawayId> [--until <revision|ISO time>] [--json]";

function parseCommandLine(argv: string[]): { giveawayId: string; until: Until | undefined; json: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { until: { type: "string" }, json: { type: "boolean", default: false } } });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${usage}`);
  }
  const [giveawayId, ...extra] = parsed.positionals;
  if (!giveawayId || extra.length > 0) throw new CliError(usage);
  let until: Until | undefined;
  if (parsed.values.until !== undefined) {
    const result = parseUntil(parsed.values.until);
    if (!result.ok) throw new CliError(`--until: ${result.message}`);
    until = result.until;
  }
  return { giveawayId, until, json: parsed.values.json ?? false };
}

async function replay(): Promise<number> {
  const { giveawayId, until, json } = parseCommandLine(process.argv.slice(2));
  const { store } = openCliStore();
  const nameOf = storeUserNames(store);
  const progress = progressLine("replay");
  const names = new Map<string, string>();
  const fold = messageReplay(giveawayId, (id) => names.get(id));
  let events = 0;
  try {
    for await (const event of giveawayEventsUntil(store, giveawayId, until)) {
      progress.update(++events);
      const line = toAuditLine(event);
      if (line.detail.type === "Unreadable") {
        process.stderr.write(`revision ${line.revision} (${line.eventId}): unreadable ${line.detail.storedType} event left out: ${line.detail.problem}\n`);
        continue;
      }
      if (line.whoId !== undefined && !names.has(line.whoId)) names.set(line.whoId, (await nameOf(line.whoId)) ?? "?");
      // Every version: a message as sent, then again at each edit and at its removal.
      const message = fold.apply(line);
      if (!message) continue;
      const at = message.retractedAt ?? message.editedAt ?? message.sentAt;
      const what = message.retractedAt ? "(message removed)" : `${message.editedAt ? "(edited) " : ""}${terminalSafe(message.content)}`;
      const text = json ? JSON.stringify(message) : `[${at}] ${terminalSafe(message.senderName)}: ${what}`;
      if (!process.stdout.write(`${text}\n`)) await new Promise((resolve) => process.stdout.once("drain", resolve));
    }
  } catch (error) {
    if (hasErrorCode(error, "stream_not_found")) throw new CliError(`no giveaway ${giveawayId} in the store`);
    throw error;
  } finally {
    progress.done();
    await store.close();
  }
  return 0;
}

runCli(replay);

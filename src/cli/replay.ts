// npm run replay -- <giveawayId> [--until <rev|time>] [--as <username|userId>] [--json]
// Prints a giveaway's conversation as it stood at a revision or a time, from the store alone, with
// who could read it from each change on; `--as` shows only what that user may see.
import { parseArgs } from "node:util";
import { auditedEventsUntil, describeReaders, type ReadersChange } from "../audit/auditedStream.ts";
import { messageReplay } from "../audit/messageReplay.ts";
import { userIdsOf, type AuditLine } from "../audit/auditLine.ts";
import { describePickup, type ShownPickupEvent } from "../audit/pickupAudit.ts";
import { parseUntil, type Until } from "../audit/until.ts";
import { storeUserNames } from "../audit/userNames.ts";
import { hasErrorCode } from "../eventstore/port.ts";
import { CliError, openCliStore, runCli } from "./cliStore.ts";
import { progressLine } from "./progressLine.ts";
import { replayViewer } from "./replayViewer.ts";
import { terminalSafe } from "./terminalText.ts";

const usage = "usage: npm run replay -- <giveawayId> [--until <revision|ISO time>] [--as <username|userId>] [--json]";

function parseCommandLine(argv: string[]): { giveawayId: string; until: Until | undefined; as: string | undefined; json: boolean } {
  let parsed;
  try {
    const options = { until: { type: "string" }, as: { type: "string" }, json: { type: "boolean", default: false } } as const;
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
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
  return { giveawayId, until, as: parsed.values.as, json: parsed.values.json ?? false };
}

/** "-- from revision 3: giver gina, winner walt", or as JSON with the usernames. */
async function readersText(change: ReadersChange, json: boolean, nameOf: (userId: string) => Promise<string | undefined>): Promise<string> {
  const names = new Map<string, string>();
  // A reader whose id is withheld from the viewer (userId null) has no name either.
  for (const { userId } of change.readers) if (userId !== null) names.set(userId, (await nameOf(userId)) ?? "?");
  if (json) return JSON.stringify({ fromRevision: change.fromRevision, readers: change.readers.map((reader) => ({ ...reader, username: reader.userId === null ? null : names.get(reader.userId) })) });
  return `-- from revision ${change.fromRevision}: ${terminalSafe(describeReaders(change.readers, (id) => names.get(id) ?? "?"))}`;
}

/** "[time] gina: * proposed a pickup ...", or as JSON {"pickup": {revision, type, userId, username, data}}. */
function pickupText(line: AuditLine, event: ShownPickupEvent, json: boolean, nameOf: (userId: string) => string): string {
  const who = line.whoId === undefined ? "?" : nameOf(line.whoId);
  if (json) return JSON.stringify({ pickup: { revision: line.revision, type: event.type, userId: line.whoId ?? null, username: who, data: event.data } });
  return `[${line.recordedAt}] ${terminalSafe(who)}: * ${terminalSafe(describePickup(event, nameOf))}`;
}

async function print(text: string): Promise<void> {
  if (!process.stdout.write(`${text}\n`)) await new Promise((resolve) => process.stdout.once("drain", resolve));
}

async function replay(): Promise<number> {
  const { giveawayId, until, as, json } = parseCommandLine(process.argv.slice(2));
  const { store } = await openCliStore();
  const nameOf = storeUserNames(store);
  const progress = progressLine("replay");
  const names = new Map<string, string>();
  const fold = messageReplay(giveawayId, (id) => names.get(id));
  try {
    const viewer = await replayViewer(store, giveawayId, as, new Date());
    const read = { revision: -1 };
    for await (const { line, readers } of auditedEventsUntil(store, giveawayId, until, viewer, read)) {
      progress.update(read.revision + 1);
      if (readers) await print(await readersText(readers, json, nameOf));
      if (line.detail.type === "Unreadable") {
        process.stderr.write(`revision ${line.revision} (${line.eventId}): unreadable ${line.detail.storedType} event left out: ${line.detail.problem}\n`);
        continue;
      }
      for (const userId of userIdsOf(line)) if (!names.has(userId)) names.set(userId, (await nameOf(userId)) ?? "?");
      if (line.detail.type === "Pickup") {
        await print(pickupText(line, line.detail.event, json, (id) => names.get(id) ?? "?"));
        continue;
      }
      // Every version: a message as sent, then again at each edit and at its removal.
      const message = fold.apply(line);
      if (!message) continue;
      const at = message.retractedAt ?? message.editedAt ?? message.sentAt;
      const what = message.hiddenByModerator ? "(removed by a moderator)" : message.retractedAt ? "(message removed)" : `${message.editedAt ? "(edited) " : ""}${terminalSafe(message.content ?? "")}`;
      const text = json ? JSON.stringify(message) : `[${at}] ${terminalSafe(message.senderName ?? "system message")}: ${what}`;
      await print(text);
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

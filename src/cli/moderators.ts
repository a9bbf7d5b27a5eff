// npm run moderators -- grant <username or id> | revoke <username or id>
// The operator makes a user a moderator (ModeratorGranted in their stream) or takes it back
// (ModeratorRevoked); every process learns it through its subscription. A platform user whose token
// carries roles: ["moderator"] is a moderator without a grant (docs/operations.md, "Moderator's guide").
// Exit: 0 done (or already so), 2 could not run (bad arguments, no store, no such user).
import { randomUUID } from "node:crypto";
import { createModeration } from "../app/moderation.ts";
import { storeUserIdOf } from "../audit/userNames.ts";
import { isId } from "../domain/ids.ts";
import { CliError, openCliStore, runCli } from "./cliStore.ts";
import { terminalSafe } from "./terminalText.ts";

const usage = "usage: npm run moderators -- grant <username or id> | revoke <username or id>";

function out(line: string): void {
  process.stdout.write(`${terminalSafe(line)}\n`);
}

async function moderatorsCommand(): Promise<number> {
  const [command, who, ...rest] = process.argv.slice(2);
  if ((command !== "grant" && command !== "revoke") || who === undefined || rest.length > 0) throw new CliError(usage);
  const { store } = await openCliStore();
  try {
    // An id as given, else a username (any case).
    const userId = isId(who) ? who : await storeUserIdOf(store, who);
    if (userId === undefined) throw new CliError(`no such user: ${who}`);
    const correlationId = randomUUID();
    const moderation = createModeration({ store, newId: randomUUID, now: () => new Date() });
    const result = await moderation.setModerator(userId, command === "grant", { actorId: "operator", correlationId, causationId: correlationId });
    if (!result.ok) throw new CliError(`${result.error.message}: ${who}`);
    const state = command === "grant" ? "a moderator" : "no longer a moderator";
    out(result.appended === 0 ? `${who} was already ${state}` : `${who} is now ${state}`);
    return 0;
  } finally {
    await store.close();
  }
}

runCli(moderatorsCommand);

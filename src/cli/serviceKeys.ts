// npm run service-keys -- create <name> | list | revoke <name>
// The platform backend's keys to /api/platform. `create` prints the secret once (the store keeps only
// its SHA-256); `revoke` holds at once on every process (each call reads the key's stream).
// Exit: 0 done, 2 could not run (bad arguments, no store, a name taken or unknown).
import { randomUUID } from "node:crypto";
import { createServiceKeys, ServiceKeyRefused } from "../app/serviceKeys.ts";
import { CliError, openCliStore, runCli } from "./cliStore.ts";
import { terminalSafe } from "./terminalText.ts";

const usage = "usage: npm run service-keys -- create <name> | list | revoke <name>";

function out(line: string): void {
  process.stdout.write(`${terminalSafe(line)}\n`);
}

async function serviceKeysCommand(): Promise<number> {
  const [command, name, ...rest] = process.argv.slice(2);
  const named = command === "create" || command === "revoke";
  if (!(named || command === "list") || rest.length > 0 || (named ? name === undefined : name !== undefined)) throw new CliError(usage);
  const { store } = await openCliStore();
  try {
    const keys = createServiceKeys({ store, newId: randomUUID, now: () => new Date() });
    try {
      if (command === "create") {
        const secret = await keys.create(name!);
        out(`service key ${name} created; its secret, shown only this once:`);
        out(secret);
      } else if (command === "revoke") {
        await keys.revoke(name!);
        out(`service key ${name} revoked`);
      } else {
        const all = await keys.list();
        if (all.length === 0) out("no service keys");
        for (const key of all) out(`${key.name}\tcreated ${key.createdAt}\t${key.revokedAt ? `revoked ${key.revokedAt}` : "active"}`);
      }
    } catch (error) {
      if (error instanceof ServiceKeyRefused) throw new CliError(error.message);
      throw error;
    }
    return 0;
  } finally {
    await store.close();
  }
}

runCli(serviceKeysCommand);

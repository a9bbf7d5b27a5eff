// A sender process for the two-process race: one command handler on a shared embedded store sends the
// given message ids (the same ids as its rival) once "go" arrives on stdin, and prints each outcome.
import { createInterface } from "node:readline";
import { randomUUID } from "node:crypto";
import { createGiveawayCommandHandler } from "../../src/app/giveawayCommandHandler.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";

const [file, giveawayId, senderId, name, ids] = process.argv.slice(2) as [string, string, string, string, string];
const store = openSqliteEventStore({ file, pollIntervalMs: 10 });
const handle = createGiveawayCommandHandler({ store, newId: randomUUID });

async function run() {
  for (const [index, messageId] of ids.split(",").entries()) {
    // Same content in both processes: a legitimate retry; another clock and request id make other hashes.
    const command = { type: "SendMessage" as const, messageId, senderId, content: `message ${index}`, now: new Date() };
    const result = await handle(giveawayId, command, { actorId: senderId, correlationId: `${name}-${index}`, causationId: `${name}-${index}` });
    if (!result.ok) throw new Error(`${name}: ${result.error.code}`);
    process.stdout.write(`sent ${messageId} ${result.appended.length > 0 ? "written" : "already"}\n`);
  }
  await store.close();
}

createInterface({ input: process.stdin }).once("line", () => {
  run().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
});
process.stdout.write("ready\n");

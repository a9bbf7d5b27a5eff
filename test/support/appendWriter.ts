// A writer process for the crash test: appends without end and prints each acknowledged append.
import { randomUUID } from "node:crypto";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";

const file = process.argv[2]!;
const store = openSqliteEventStore({ file, durability: "full" });
const writers = 8;

async function writer(index: number) {
  const streamId = `crash-${index}`;
  for (let n = 0; ; n++) {
    const id = randomUUID();
    const result = await store.appendToStream(streamId, [{ id, type: "Written", data: { n } }]);
    process.stdout.write(`ack ${streamId} ${result.nextExpectedRevision} ${id}\n`);
  }
}

for (let i = 0; i < writers; i++) void writer(i);

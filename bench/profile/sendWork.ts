// node --import tsx bench/profile/sendWork.ts [messages...]
// Counts the work of one send on a warm command handler at several conversation lengths: events read
// from the store and map entries written (Map.prototype.set calls, which include every map copy).
// The same counts test/app/sendCost.test.ts asserts; this prints them for the docs.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGiveawayCommandHandler } from "../../src/app/giveawayCommandHandler.ts";
import { chainHash, genesisHash } from "../../src/domain/hashChain.ts";
import { giveawayStream } from "../../src/domain/streams.ts";
import type { EventStore, EventToAppend } from "../../src/eventstore/port.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";

const context = { actorId: "a", correlationId: "c", causationId: "c" };
const [ann, bob] = [randomUUID(), randomUUID()];
const now = new Date().toISOString();

async function seed(store: EventStore, giveawayId: string, messages: number) {
  const streamId = giveawayStream(giveawayId);
  const events: { type: string; data: Record<string, unknown> }[] = [
    { type: "GiveawayCreated", data: { giveawayId, giverId: ann, title: "Lamp", description: "", createdAt: now } },
    { type: "EntrySubmitted", data: { userId: bob, enteredAt: now } },
    { type: "DrawConducted", data: { winnerId: bob, drawnAt: now } },
    ...Array.from({ length: messages }, (_, i) => ({ type: "MessageSent", data: { messageId: randomUUID(), senderId: bob, content: `m${i}`, sentAt: now } })),
  ];
  let prevHash = genesisHash;
  const chained: EventToAppend[] = events.map((event, revision) => {
    const id = (event.data.messageId as string | undefined) ?? randomUUID();
    const hash = chainHash({ prevHash, streamId, revision: String(revision), id, type: event.type, data: event.data, ...context });
    const metadata = { ...context, prevHash, hash };
    prevHash = hash;
    return { id, type: event.type, data: event.data, metadata };
  });
  for (let from = 0; from < chained.length; from += 1000) await store.appendToStream(streamId, chained.slice(from, from + 1000));
}

for (const messages of process.argv.slice(2).map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), "handoff-work-"));
  const inner = openSqliteEventStore({ file: join(dir, "events.db"), durability: "normal" });
  let eventsRead = 0;
  const store: EventStore = { ...inner, readStream: async (...args) => { const read = await inner.readStream(...args); eventsRead += read.length; return read; } };
  const giveawayId = randomUUID();
  await seed(store, giveawayId, messages);
  const handle = createGiveawayCommandHandler({ store, newId: randomUUID });
  const send = () => handle(giveawayId, { type: "SendMessage", messageId: randomUUID(), senderId: bob, content: "hi", now: new Date() }, context);
  await send();
  eventsRead = 0;
  let sets = 0;
  const originalSet = Map.prototype.set;
  Map.prototype.set = function (this: Map<unknown, unknown>, key: unknown, value: unknown) {
    sets += 1;
    return originalSet.call(this, key, value);
  };
  await send();
  Map.prototype.set = originalSet;
  console.log(`conversation of ${messages} messages: one send reads ${eventsRead} events and writes ${sets} map entries`);
  await inner.close();
  rmSync(dir, { recursive: true, force: true });
}

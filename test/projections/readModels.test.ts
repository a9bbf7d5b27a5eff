import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { startProjectionRunner } from "../../src/projections/projectionRunner.ts";
import { openReadModelDatabase, readCheckpoint } from "../../src/projections/readModelDatabase.ts";
import { dumpReadModels, openTestHandoff, runConversation, settled } from "./projectionFixture.ts";
import { declaredReadModels } from "../../src/app/declaredParts.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function fixture() {
  const opened = openTestHandoff();
  cleanups.push(opened.dispose);
  return opened;
}

describe("read models", () => {
  it("show a conversation in order with sender names", async () => {
    const { handoff } = fixture();
    const { giveawayId, ann, bo, send } = await runConversation(handoff);
    await send(ann, "Pick up Saturday?");
    await send(bo, "Yes!\nAfter 10.");
    await settled(handoff);
    const messages = handoff.queries.messagesAfter(giveawayId, -1);
    expect(messages.map((m) => [m.senderName, m.content])).toEqual([
      ["ann", "Pick up Saturday?"],
      ["bob", "Yes!\nAfter 10."],
    ]);
    expect(messages[1]!.revision).toBeGreaterThan(messages[0]!.revision);
    const giveaway = handoff.queries.giveawayById(giveawayId);
    expect(giveaway).toMatchObject({ status: "drawn", entrantCount: 1, winnerId: bo.id, giverName: "ann", winnerName: "bob" });
  });

  it("count unread messages exactly per participant and clear them on read", async () => {
    const { handoff } = fixture();
    const { giveawayId, ann, bo, send, run } = await runConversation(handoff);
    await send(ann, "one");
    await send(ann, "two");
    const third = await send(ann, "three");
    await settled(handoff);
    const unreadOf = (userId: string) => handoff.queries.inboxFor(userId).find((e) => e.giveawayId === giveawayId)!.unreadCount;
    expect(unreadOf(bo.id)).toBe(3);
    expect(unreadOf(ann.id)).toBe(0);

    const secondRevision = Number(third.revision) - 1;
    await run(bo.id, { type: "MarkConversationRead", userId: bo.id, upToRevision: secondRevision, now: handoff.now() });
    await settled(handoff);
    expect(unreadOf(bo.id)).toBe(1);

    await send(bo, "thanks");
    await settled(handoff);
    expect(unreadOf(bo.id)).toBe(0);
    expect(unreadOf(ann.id)).toBe(1);
    expect(handoff.queries.inboxFor(ann.id)[0]).toMatchObject({ otherUsername: "bob", lastMessagePreview: "thanks" });
    expect(handoff.queries.unreadTotal(ann.id)).toBe(1);
  });

  it("rebuilt from zero are identical to the live ones", async () => {
    const { handoff, dir } = fixture();
    const { ann, bo, send, run, giveawayId } = await runConversation(handoff);
    for (let i = 0; i < 30; i++) await send(i % 2 ? ann : bo, `message ${i}`);
    await run(ann.id, { type: "MarkConversationRead", userId: ann.id, upToRevision: 10, now: handoff.now() });
    const second = await runConversation(handoff).catch(() => undefined); // usernames taken: refused, nothing written
    expect(second).toBeUndefined();
    await settled(handoff);
    expect(handoff.queries.messagesAfter(giveawayId, -1)).toHaveLength(30);

    const rebuiltDb = openReadModelDatabase(join(dir.path, "rebuilt.db"), declaredReadModels);
    const runner = startProjectionRunner({ projections: declaredReadModels, store: handoff.store, db: rebuiltDb, batchSize: 7 });
    await runner.caughtUp;
    await runner.stop();
    expect(dumpReadModels(rebuiltDb)).toEqual(dumpReadModels(handoff.readDb));
    rebuiltDb.close();
  });

  it("resume from their checkpoint after a restart without applying anything twice", async () => {
    const { handoff, dir } = fixture();
    const { ann, send } = await runConversation(handoff);
    await send(ann, "before restart");
    await settled(handoff);
    await handoff.runner.stop();

    const db = openReadModelDatabase(join(dir.path, "readmodels.db"), declaredReadModels);
    const runner = startProjectionRunner({ projections: declaredReadModels, store: handoff.store, db });
    await runner.caughtUp;
    await send(ann, "after restart");
    // Until this runner has applied everything in the log (anything applied twice would be in by then).
    const [last] = (await handoff.store.readAll({})).slice(-1);
    await expect.poll(() => readCheckpoint(db)).toBe(last!.position);
    await runner.stop();
    const inbox = db.prepare("SELECT unread_count FROM inbox WHERE user_id <> ?").get(ann.id) as { unread_count: number };
    expect(inbox.unread_count).toBe(2);
    expect(db.prepare("SELECT count(*) AS n FROM messages").get()).toEqual({ n: 2 });
    db.close();
  });
});

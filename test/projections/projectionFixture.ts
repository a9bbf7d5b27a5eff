// A handoff over a temp dir, and a short conversation driven through the real command handler.
import type Database from "better-sqlite3";
import { openHandoff, type Handoff } from "../../src/app/handoff.ts";
import { readCheckpoint } from "../../src/projections/readModelDatabase.ts";
import { testConfig } from "../support/testServer.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { vi } from "vitest";

export const readModelTables = ["users", "giveaways", "entrants", "messages", "inbox"] as const;

export function dumpReadModels(db: Database.Database): Record<string, unknown[]> {
  return Object.fromEntries(readModelTables.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]));
}

/** Resolves once the read models have applied everything in the log. */
export async function settled(handoff: Handoff): Promise<void> {
  const [last] = await handoff.store.readAll({}).then((all) => all.slice(-1));
  await vi.waitFor(
    () => {
      if (last && (readCheckpoint(handoff.readDb) ?? -1n) < last.position) throw new Error("read models did not catch up");
    },
    { timeout: 10_000, interval: 10 },
  );
}

export function openTestHandoff() {
  const dir = makeTempDir("projection");
  let clock = Date.parse("2026-11-24T10:00:00Z");
  const handoff = openHandoff(testConfig(dir.path), { now: () => new Date((clock += 1000)), pick: () => 0 });
  return { handoff, dir, dispose: async () => (await handoff.close(), dir.remove()) };
}

const context = (actorId: string) => ({ actorId, correlationId: `c-${actorId}`, causationId: `c-${actorId}` });

export async function register(handoff: Handoff, username: string) {
  const result = await handoff.accounts.register({ username, password: "correct horse", correlationId: "test" });
  if (!result.ok) throw new Error(result.error.message);
  return result.account;
}

/** ann gives, bob wins; returns what the steps were. */
export async function runConversation(handoff: Handoff) {
  const ann = await register(handoff, "ann");
  const bo = await register(handoff, "bob");
  const giveawayId = handoff.newId();
  const now = handoff.now;
  const run = async (actorId: string, command: Parameters<Handoff["commands"]>[1]) => {
    const result = await handoff.commands(giveawayId, command, context(actorId));
    if (!result.ok) throw new Error(result.error.message);
    return result;
  };
  await run(ann.id, { type: "CreateGiveaway", giveawayId, giverId: ann.id, title: "A bike", now: now() });
  await run(bo.id, { type: "SubmitEntry", userId: bo.id, now: now() });
  await run(ann.id, { type: "ConductDraw", by: ann.id, now: now(), pick: () => 0 });
  const send = (from: { id: string }, content: string) =>
    run(from.id, { type: "SendMessage", messageId: handoff.newId(), senderId: from.id, content, now: now() });
  return { ann, bo, giveawayId, send, run };
}

// Pickup reminders with the clock moved, through the real parts: the command handler on a SQLite
// store, the pickup-reminders reactor in the durable runner with an injected clock, and the live hub
// that tells people. A plan further away than the lead time is reminded at the lead time, not before;
// one closer than that at once; either way the reminder reaches both people, the giver and the winner.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGiveawayCommandHandler, type GiveawayCommandHandler } from "../../src/app/giveawayCommandHandler.ts";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import type { EventStore, RecordedEvent } from "../../src/eventstore/port.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import { pickupNotice } from "../../src/http/pages/pickupNotices.ts";
import { LiveHub, type UserNotification } from "../../src/live/liveHub.ts";
import { toProjectedEvent } from "../../src/projections/projectionRunner.ts";
import { startDurableReactorRunner, type DurableReactorRunner } from "../../src/reactors/durableReactorRunner.ts";
import { pickupRemindersReactor, proposalStartFromStore } from "../../src/reactors/pickupRemindersReactor.ts";
import { openReactorState } from "../../src/reactors/reactorState.ts";
import { makeTempDir } from "../support/tempDir.ts";

const hour = 3_600_000;
const lead = hour;
const start = Date.parse("2026-12-05T09:00:00.000Z");
const giver = randomUUID();
const winner = randomUUID();

let dir: ReturnType<typeof makeTempDir>;
let store: EventStore;
let commands: GiveawayCommandHandler;
let runner: DurableReactorRunner;
let nowMs = start;
const now = () => new Date(nowMs);

beforeEach(() => {
  nowMs = start;
  dir = makeTempDir("reminders-for-both");
  store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal", pollIntervalMs: 20 });
  commands = createGiveawayCommandHandler({ store, newId: randomUUID });
  const reactor = pickupRemindersReactor({ commands, proposalStart: proposalStartFromStore(store), newId: randomUUID, leadMs: lead });
  runner = startDurableReactorRunner({ store, file: join(dir.path, "reactors.db"), reactors: [reactor], holder: "test", now, wakeCheckMs: 20, leaseTtlMs: 600 });
});
afterEach(async () => {
  await runner.close();
  await store.close();
  dir.remove();
});

async function run(giveawayId: string, by: string, command: GiveawayCommand): Promise<void> {
  const id = randomUUID();
  const result = await commands(giveawayId, command, { actorId: by, correlationId: id, causationId: id });
  expect(result.ok, result.ok ? "" : `${result.error.code}: ${result.error.message}`).toBe(true);
}

/** A drawn giveaway whose winner accepted the giver's plan starting `startsInMs` from now. */
async function agreedPlan(startsInMs: number): Promise<string> {
  const giveawayId = randomUUID();
  await run(giveawayId, giver, { type: "CreateGiveaway", giveawayId, giverId: giver, title: "A lamp", now: now() });
  await run(giveawayId, winner, { type: "SubmitEntry", userId: winner, now: now() });
  await run(giveawayId, giver, { type: "ConductDraw", by: giver, now: now(), pick: () => 0 });
  const proposalId = randomUUID();
  const from = new Date(nowMs + startsInMs);
  await run(giveawayId, giver, { type: "ProposePickup", proposalId, by: giver, from, to: new Date(from.getTime() + hour), place: "Elm Street 5", now: now() });
  await run(giveawayId, winner, { type: "AcceptPickupProposal", proposalId, by: winner, now: now() });
  return giveawayId;
}

const remindersIn = async (giveawayId: string): Promise<RecordedEvent[]> =>
  (await store.readStream(`giveaway-${giveawayId}`)).filter((event) => event.type === "PickupReminderSent");

function storedWakeUps(): { key: string; dueAt: string }[] {
  const db = openReactorState(join(dir.path, "reactors.db"));
  try {
    return db
      .prepare<[], { key: string; due_at: number }>("SELECT key, due_at FROM reactor_wakeups ORDER BY due_at")
      .all()
      .map((row) => ({ key: row.key, dueAt: new Date(row.due_at).toISOString() }));
  } finally {
    db.close();
  }
}

/** Who the live hub tells of a stored reminder, and in which words: what each person's pages show. */
async function toldOf(reminder: RecordedEvent): Promise<Map<string, string | undefined>> {
  const hub = new LiveHub({
    messageAtRevision: () => undefined,
    participantsOf: () => ({ giverId: giver, winnerId: winner, title: "A lamp" }),
    unreadFor: () => ({ unreadCount: 0, unreadTotal: 0 }),
  });
  const told = new Map<string, string | undefined>();
  for (const person of [giver, winner, randomUUID()]) {
    hub.listenToUser(person, (notification: UserNotification) => {
      if (notification.kind === "pickup") told.set(person, pickupNotice(notification, person)?.text);
    });
  }
  hub.publish([toProjectedEvent(reminder)!]);
  await expect.poll(() => told.size).toBeGreaterThanOrEqual(2);
  hub.flush();
  return told;
}

describe("pickup reminders for both, with the clock moved", () => {
  it("a plan three hours away is reminded at the lead time, not before, and both people are told", async () => {
    const giveawayId = await agreedPlan(3 * hour);
    const dueAt = new Date(start + 3 * hour - lead).toISOString();
    await expect.poll(storedWakeUps).toEqual([{ key: giveawayId, dueAt }]);
    // Stored for the lead time: nothing was sent when the plan was agreed.
    expect(await remindersIn(giveawayId)).toEqual([]);

    nowMs = Date.parse(dueAt);
    await expect.poll(() => remindersIn(giveawayId).then((events) => events.length)).toBe(1);
    const [reminder] = await remindersIn(giveawayId);
    expect(reminder!.data).toMatchObject({ remindedAt: dueAt });
    await expect.poll(storedWakeUps).toEqual([]);

    const told = await toldOf(reminder!);
    expect(Object.fromEntries(told)).toEqual({ [giver]: "Reminder: your pickup is coming up soon.", [winner]: "Reminder: your pickup is coming up soon." });
  });

  it("a plan closer than the lead time reminds both at once, once", async () => {
    const giveawayId = await agreedPlan(40 * 60_000);
    await expect.poll(() => remindersIn(giveawayId).then((events) => events.length)).toBe(1);
    const [reminder] = await remindersIn(giveawayId);
    expect(reminder!.data).toMatchObject({ remindedAt: new Date(start).toISOString() });
    await expect.poll(storedWakeUps).toEqual([]);
    const told = await toldOf(reminder!);
    expect([...told.keys()].sort()).toEqual([giver, winner].sort());
    expect(told.get(giver)).toBe(told.get(winner));
  });
});

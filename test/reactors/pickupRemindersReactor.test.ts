// The pickup reminders reactor's rules, given events then effects (reactorKit.ts): which plans get a
// stored wake-up and when, what removes it, and what the wake-up does.
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import { openSqliteEventStore } from "../../src/eventstore/sqlite.ts";
import type { GiveawayEvent } from "../../src/domain/events.ts";
import { pickupRemindersReactor, proposalStartFromStore, type ReminderCommands } from "../../src/reactors/pickupRemindersReactor.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { reactorKit } from "./reactorKit.ts";

const hour = 3_600_000;
const giveawayId = "9b2f1a57-3a1e-4b8e-8f5e-2d1c0b9a8e7f";
const other = "1c1e0a55-0000-4000-8000-000000000002";
const giver = "aaaaaaaa-0000-4000-8000-000000000001";
const winner = "bbbbbbbb-0000-4000-8000-000000000001";
const start = "2026-11-24T10:00:00.000Z";
const at = (hours: number) => new Date(Date.parse(start) + hours * hour).toISOString();

function setup(options: { refuse?: boolean } = {}) {
  const sent: { giveawayId: string; command: GiveawayCommand; actorId: string }[] = [];
  /** The proposals' windows, as the giveaway's stream holds them. */
  const windows = new Map<string, string>();
  const commands: ReminderCommands = async (id, command, context) => {
    sent.push({ giveawayId: id, command, actorId: context.actorId });
    return options.refuse ? { ok: false, error: { code: "not_participant" } } : { ok: true };
  };
  const reactor = pickupRemindersReactor({ commands, proposalStart: async (_id, proposalId) => windows.get(proposalId), newId: () => crypto.randomUUID(), leadMs: 2 * hour });
  const kit = reactorKit(reactor, start);
  const accepted = (id: string, proposalId: string, from: string) => {
    windows.set(proposalId, from);
    return kit.giveawayEvent(id, { type: "PickupProposalAccepted", data: { proposalId, acceptedBy: winner, acceptedAt: kit.clock.now().toISOString() } });
  };
  return { kit, sent, accepted };
}

describe("pickup reminders reactor", () => {
  it("an accepted plan gets a wake-up at its start minus the lead, keyed by giveaway", async () => {
    const { kit, accepted } = setup();
    const proposalId = crypto.randomUUID();
    const { scheduled, handed } = await kit.given([accepted(giveawayId, proposalId, at(5))]);
    expect(handed).toBe(1);
    expect(scheduled).toEqual([{ key: giveawayId, dueAt: at(3), payload: { giveawayId, proposalId, from: at(5) } }]);
    expect(kit.wakeUps().map((wake) => wake.key)).toEqual([giveawayId]);
  });

  it("a newer plan replaces the wake-up; the giveaways' wake-ups are their own", async () => {
    const { kit, accepted } = setup();
    const second = crypto.randomUUID();
    await kit.given([accepted(giveawayId, crypto.randomUUID(), at(5)), accepted(other, crypto.randomUUID(), at(9))]);
    await kit.given([accepted(giveawayId, second, at(7))]);
    expect(kit.wakeUps()).toEqual([
      { key: giveawayId, dueAt: at(5), payload: { giveawayId, proposalId: second, from: at(7) } },
      { key: other, dueAt: at(7), payload: expect.objectContaining({ giveawayId: other }) },
    ]);
  });

  it.each<[string, GiveawayEvent]>([
    ["the reminder was sent", { type: "PickupReminderSent", data: { proposalId: crypto.randomUUID(), remindedAt: at(1) } }],
    ["a new winner was drawn", { type: "WinnerRedrawn", data: { winnerId: giver, previousWinnerId: winner, reason: "no_show", redrawnAt: at(1) } }],
    ["the giveaway completed", { type: "GiveawayCompleted", data: { completedAt: at(1), readOnlyFrom: at(2) } }],
    ["the giveaway was cancelled", { type: "GiveawayCancelled", data: { cancelledBy: giver, reason: "", cancelledAt: at(1), readOnlyFrom: at(2) } }],
  ])("the wake-up is removed when %s", async (_why, ending) => {
    const { kit, accepted } = setup();
    await kit.given([accepted(giveawayId, crypto.randomUUID(), at(5)), accepted(other, crypto.randomUUID(), at(5))]);
    const { cancelled } = await kit.given([kit.giveawayEvent(giveawayId, ending)]);
    expect(cancelled).toEqual([giveawayId]);
    expect(kit.wakeUps().map((wake) => wake.key)).toEqual([other]);
  });

  it("other events are not handed to it", async () => {
    const { kit } = setup();
    const { handed } = await kit.given([kit.giveawayEvent(giveawayId, { type: "GiveawayCreated", data: { giveawayId, giverId: giver, title: "A bike", description: "", createdAt: at(0) } })]);
    expect(handed).toBe(0);
  });

  it("a plan whose window has already begun (the log replayed after it) gets no wake-up", async () => {
    const { kit, accepted } = setup();
    const old = accepted(giveawayId, crypto.randomUUID(), at(1));
    kit.clock.set(at(2));
    const { scheduled } = await kit.given([old], { mayRepeat: true });
    expect(scheduled).toEqual([]);
    expect(kit.wakeUps()).toEqual([]);
  });

  it("a plan starting within the lead time is reminded at once", async () => {
    const { kit, sent, accepted } = setup();
    await kit.given([accepted(giveawayId, crypto.randomUUID(), at(1))]);
    expect(await kit.wakeDue()).toEqual([giveawayId]);
    expect(sent).toHaveLength(1);
  });

  it("the wake-up sends SendPickupReminder through the commands when due, not before, with the clock's time", async () => {
    const { kit, sent, accepted } = setup();
    const proposalId = crypto.randomUUID();
    await kit.given([accepted(giveawayId, proposalId, at(5))]);
    kit.clock.set(at(2.5));
    expect(await kit.wakeDue()).toEqual([]);
    kit.clock.set(at(3));
    expect(await kit.wakeDue()).toEqual([giveawayId]);
    expect(sent).toEqual([{ giveawayId, command: { type: "SendPickupReminder", proposalId, now: new Date(at(3)) }, actorId: "system:pickup-reminders" }]);
    expect(kit.wakeUps()).toEqual([]);
  });

  it("a refused reminder is not tried again; one whose pickup has begun is not sent", async () => {
    const refused = setup({ refuse: true });
    await refused.kit.given([refused.accepted(giveawayId, crypto.randomUUID(), at(5))]);
    refused.kit.clock.set(at(4));
    expect(await refused.kit.wakeDue()).toEqual([giveawayId]); // resolved: deleted, not retried
    expect(refused.sent).toHaveLength(1);
    expect(refused.kit.wakeUps()).toEqual([]);

    const late = setup();
    await late.kit.given([late.accepted(giveawayId, crypto.randomUUID(), at(5))]);
    late.kit.clock.set(at(6)); // the process was down past the window's start
    expect(await late.kit.wakeDue()).toEqual([giveawayId]);
    expect(late.sent).toEqual([]);
  });
});

describe("proposalStartFromStore", () => {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  afterEach(() => dir?.remove());

  it("finds the accepted proposal's window in the giveaway's stream, even pages back", async () => {
    dir = makeTempDir("reactor-proposal");
    const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
    try {
      const stream = `giveaway-${giveawayId}`;
      const proposalId = crypto.randomUUID();
      const proposed = { proposalId, proposedBy: giver, from: at(5), to: at(6), place: "Park", note: "", proposedAt: at(0) };
      await store.appendToStream(stream, [{ id: crypto.randomUUID(), type: "PickupProposed", data: proposed }]);
      const read = { giveawayId, userId: winner, readAt: at(0), revision: 0 };
      for (let i = 0; i < 3; i++) {
        await store.appendToStream(stream, Array.from({ length: 150 }, () => ({ id: crypto.randomUUID(), type: "ConversationRead", data: read })));
      }
      const lookup = proposalStartFromStore(store);
      await expect(lookup(giveawayId, proposalId, 450n)).resolves.toBe(at(5));
      await expect(lookup(giveawayId, crypto.randomUUID(), 450n)).resolves.toBeUndefined();
      await expect(lookup(other, proposalId, 3n)).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

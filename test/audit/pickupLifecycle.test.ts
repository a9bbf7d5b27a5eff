// Every pickup event type through the operator's commands: npm run rebuild gives back exactly the
// read models the live server built, npm run verify finds every chain intact, and the replay (in
// process and npm run replay) shows each pickup step, the redraw and the cancel.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayConversation } from "../../src/audit/conversationReplay.ts";
import { storeUserNames } from "../../src/audit/userNames.ts";
import type { Account } from "../../src/app/userAccounts.ts";
import type { Handoff } from "../../src/app/handoff.ts";
import { pickupEventSchemas } from "../../src/domain/pickupEvents.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, dumpReadModels, projected, registerUser, run, runCliCommand, send } from "./auditFixtures.ts";

const hour = 3600_000;
const lastWordsMs = 24 * hour;

let dir: ReturnType<typeof makeTempDir>;
let server: TestServer | undefined;
let live: Record<string, string[]>;
let handedOver: string;
let redrawnAndCancelled: string;
let people: Record<"gina" | "walt" | "lou" | "rita" | "sam", Account>;

/** Proposal, counter-proposal (superseding it), a declined and an accepted one, a reminder, both sides of the handover. */
async function wholePickup(handoff: Handoff, giver: Account, winner: Account): Promise<string> {
  const giveawayId = await drawnGiveaway(handoff, giver, winner);
  const now = () => new Date();
  const window = (hours: number) => ({ from: new Date(Date.now() + hours * hour), to: new Date(Date.now() + (hours + 2) * hour) });
  const [first, counter, accepted] = [handoff.newId(), handoff.newId(), handoff.newId()];
  await send(handoff, giveawayId, giver, "Congratulations! Saturday?");
  await run(handoff, giveawayId, giver.id, { type: "ProposePickup", proposalId: first, by: giver.id, ...window(24), place: "Elm Street 5", now: now() });
  await run(handoff, giveawayId, winner.id, { type: "ProposePickup", proposalId: counter, by: winner.id, ...window(30), place: "Elm Street 5", note: "after work", now: now() });
  await run(handoff, giveawayId, giver.id, { type: "DeclinePickupProposal", proposalId: counter, by: giver.id, now: now() });
  await run(handoff, giveawayId, giver.id, { type: "ProposePickup", proposalId: accepted, by: giver.id, ...window(48), place: "The station", now: now() });
  await run(handoff, giveawayId, winner.id, { type: "AcceptPickupProposal", proposalId: accepted, by: winner.id, now: now() });
  await run(handoff, giveawayId, giver.id, { type: "SendPickupReminder", proposalId: accepted, now: now() });
  await run(handoff, giveawayId, giver.id, { type: "ConfirmHandover", by: giver.id, now: now(), lastWordsMs });
  const revision = await run(handoff, giveawayId, winner.id, { type: "ConfirmHandover", by: winner.id, now: now(), lastWordsMs });
  await send(handoff, giveawayId, winner, "Thank you!");
  await projected(handoff, giveawayId, revision + 1);
  return giveawayId;
}

/** The winner declines the prize, the giver redraws, talks to the new winner, then cancels. */
async function redrawThenCancel(handoff: Handoff, giver: Account, first: Account, second: Account): Promise<string> {
  const giveawayId = await drawnGiveaway(handoff, giver, first, [second]);
  const now = () => new Date();
  await send(handoff, giveawayId, giver, "Still want it?");
  await run(handoff, giveawayId, first.id, { type: "DeclinePrize", by: first.id, now: now() });
  await run(handoff, giveawayId, giver.id, { type: "RedrawWinner", by: giver.id, now: now(), noShowAfterMs: 48 * hour, pick: () => 0 });
  await send(handoff, giveawayId, giver, "It is yours now");
  await send(handoff, giveawayId, second, "Great, thanks");
  const revision = await run(handoff, giveawayId, giver.id, { type: "CancelGiveaway", by: giver.id, reason: "it broke", now: now(), lastWordsMs });
  await projected(handoff, giveawayId, revision);
  return giveawayId;
}

beforeAll(async () => {
  dir = makeTempDir("pickup-lifecycle");
  server = await startTestServer({ dataDir: dir.path });
  const { handoff } = server;
  const [gina, walt, lou, rita, sam] = [await registerUser(handoff, "gina"), await registerUser(handoff, "walt"), await registerUser(handoff, "lou"), await registerUser(handoff, "rita"), await registerUser(handoff, "sam")];
  people = { gina, walt, lou, rita, sam };
  handedOver = await wholePickup(handoff, gina, walt);
  redrawnAndCancelled = await redrawThenCancel(handoff, rita, lou, sam);
  await server.stop();
  server = undefined;
  live = dumpReadModels(dir.path);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  dir?.remove();
});

describe("every pickup event type, from the log again", () => {
  it("the store holds all nine pickup event types (so the checks below cover them)", async () => {
    const store = (await import("../../src/eventstore/sqlite.ts")).openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
    try {
      const types = new Set<string>();
      for (const giveawayId of [handedOver, redrawnAndCancelled]) for (const event of await store.readStream(`giveaway-${giveawayId}`)) types.add(event.type);
      for (const type of Object.keys(pickupEventSchemas)) expect(types, type).toContain(type);
    } finally {
      await store.close();
    }
  });

  it("the live read models hold the pickup (so the comparison means something)", () => {
    const giveaways = live.giveaways!.map((row) => JSON.parse(row) as { id: string; status: string });
    expect(giveaways.find((g) => g.id === handedOver)?.status).toBe("completed");
    expect(giveaways.find((g) => g.id === redrawnAndCancelled)?.status).toBe("cancelled");
    const pickupTables = Object.keys(live).filter((table) => /pickup|proposal|round/.test(table));
    expect(pickupTables.length).toBeGreaterThan(0);
    for (const table of pickupTables) expect(live[table]!.length, table).toBeGreaterThan(0);
  });

  it("npm run rebuild gives back every read model, row for row", async () => {
    const result = await runCliCommand("rebuild", [], { DATA_DIR: dir.path });
    expect(result.code, result.stderr).toBe(0);
    expect(dumpReadModels(dir.path)).toEqual(live);
  }, 60_000);

  it("npm run verify finds every chain intact", async () => {
    const result = await runCliCommand("verify", [], { DATA_DIR: dir.path });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/OK 2 giveaway streams, \d+ events: hash chains intact/);
  }, 60_000);

  it("npm run replay shows the pickup steps, the handover and who could read when", async () => {
    const result = await runCliCommand("replay", [handedOver], { DATA_DIR: dir.path });
    expect(result.code, result.stderr).toBe(0);
    const steps = result.stdout.split("\n").map((line) => line.replace(/^\[[^\]]+\] /, ""));
    expect(steps).toEqual([
      "-- from revision 2: giver gina, winner walt",
      "gina: Congratulations! Saturday?",
      expect.stringMatching(/^gina: \* proposed a pickup .* at “Elm Street 5”$/),
      expect.stringMatching(/^walt: \* proposed a pickup .* at “Elm Street 5” \(after work\)$/),
      "gina: * declined the pickup proposal",
      expect.stringMatching(/^gina: \* proposed a pickup .* at “The station”$/),
      "walt: * accepted the pickup proposal: the plan is agreed",
      expect.stringMatching(/^gina: \* pickup reminder sent to both$/),
      "gina: * confirmed: handed over",
      "walt: * confirmed: received",
      expect.stringMatching(/^walt: \* completed; the conversation takes messages until /),
      "walt: Thank you!",
      "",
    ]);
  }, 60_000);

  it("npm run replay shows the decline, the redraw between the rounds, and the cancel", async () => {
    const result = await runCliCommand("replay", [redrawnAndCancelled], { DATA_DIR: dir.path });
    expect(result.code, result.stderr).toBe(0);
    const steps = result.stdout.split("\n").map((line) => line.replace(/^\[[^\]]+\] /, ""));
    expect(steps).toEqual([
      "-- from revision 3: giver rita, winner lou",
      "rita: Still want it?",
      "lou: * declined the prize",
      "-- from revision 6: giver rita, lou (former winner) read-only, winner sam",
      "rita: * redrew the winner: sam (lou declined; they keep reading their conversation, sam sees only theirs)",
      "rita: It is yours now",
      "sam: Great, thanks",
      "rita: * cancelled the giveaway: it broke",
      "",
    ]);
  }, 60_000);

  it("the replay in process gives every pickup event a line, marked with its round", async () => {
    const { openSqliteEventStore } = await import("../../src/eventstore/sqlite.ts");
    const store = openSqliteEventStore({ file: join(dir.path, "events.db"), durability: "normal" });
    try {
      const replayed = await replayConversation(store, redrawnAndCancelled, undefined, storeUserNames(store), "operator");
      const pickupLines = replayed.lines.flatMap((line) => (line.detail.type === "Pickup" ? [[line.detail.event.type, line.round?.number]] : []));
      expect(pickupLines).toEqual([
        ["PrizeDeclined", 1],
        ["WinnerRedrawn", 2],
        ["GiveawayCancelled", 2],
      ]);
      // As the new winner: nothing of the first round.
      const asSam = await replayConversation(store, redrawnAndCancelled, undefined, storeUserNames(store), { userId: people.sam.id });
      expect(asSam.messages.map((message) => message.content)).toEqual(["It is yours now", "Great, thanks"]);
    } finally {
      await store.close();
    }
  });
});

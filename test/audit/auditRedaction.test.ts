// What the audit withholds from a participant (issue 26's security review): the other entrants'
// user ids and, after a redraw, the other winner's; and the content of a message its sender
// removed, for everyone but its sender. The events stay (with their hashes, so the chain can still
// be checked); the giver sees every id, the operator's command line everything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../src/audit/auditEvent.ts";
import type { Account } from "../../src/app/userAccounts.ts";
import { chainHash, genesisHash } from "../../src/domain/hashChain.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { tokenFor } from "../http/apiFixtures.ts";
import { projected, registerUser, run, runCliCommand, send } from "./auditFixtures.ts";

const hour = 3600_000;
const doorCode = "Door code 4711, flat 3";
const doorCodeEdited = "Door code 4711, flat 4";
const giverSecret = "Giver secret 9922";

let server: TestServer;
let giveawayId: string;
let people: Record<"gina" | "walt" | "carl" | "lou" | "pia", Account>;

/**
 * gina gives; walt, carl and lou enter, pia enters through the platform and withdraws; walt wins,
 * talks, declines; carl is redrawn, sends his door code, edits and removes it; gina removes one of hers.
 */
beforeAll(async () => {
  server = await startTestServer();
  const { handoff } = server;
  const [gina, walt, carl, lou, pia] = [await registerUser(handoff, "gina"), await registerUser(handoff, "walt"), await registerUser(handoff, "carl"), await registerUser(handoff, "lou"), await registerUser(handoff, "pia")];
  people = { gina, walt, carl, lou, pia };
  const now = () => new Date();
  giveawayId = handoff.newId();
  await run(handoff, giveawayId, gina.id, { type: "CreateGiveaway", giveawayId, giverId: gina.id, title: "A bike", now: now() });
  for (const entrant of [walt, carl, lou]) await run(handoff, giveawayId, entrant.id, { type: "SubmitEntry", userId: entrant.id, now: now() });
  await run(handoff, giveawayId, "platform:shop", { type: "AddPlatformEntrant", userId: pia.id, now: now() });
  await run(handoff, giveawayId, "platform:shop", { type: "WithdrawPlatformEntrant", userId: pia.id, now: now() });
  await run(handoff, giveawayId, gina.id, { type: "ConductDraw", by: gina.id, now: now(), pick: () => 0 });
  await send(handoff, giveawayId, walt, "walt here, round one");
  await run(handoff, giveawayId, walt.id, { type: "DeclinePrize", by: walt.id, now: now() });
  await run(handoff, giveawayId, gina.id, { type: "RedrawWinner", by: gina.id, now: now(), noShowAfterMs: 48 * hour, pick: () => 0 });
  const window = { now: now(), editWindowMs: hour };
  const doorCodeId = handoff.newId();
  await run(handoff, giveawayId, carl.id, { type: "SendMessage", messageId: doorCodeId, senderId: carl.id, content: doorCode, now: now() });
  await run(handoff, giveawayId, carl.id, { type: "EditMessage", messageId: doorCodeId, userId: carl.id, content: doorCodeEdited, ...window });
  await run(handoff, giveawayId, carl.id, { type: "RetractMessage", messageId: doorCodeId, userId: carl.id, ...window });
  const secretId = handoff.newId();
  await run(handoff, giveawayId, gina.id, { type: "SendMessage", messageId: secretId, senderId: gina.id, content: giverSecret, now: now() });
  await run(handoff, giveawayId, gina.id, { type: "RetractMessage", messageId: secretId, userId: gina.id, ...window });
  await projected(handoff, giveawayId, await send(handoff, giveawayId, gina, "See you Saturday"));
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const cookieOf = (account: Account) => `handoff_session=${tokenFor(server.handoff.config.jwtSecret!, account).token}`;

interface EventsAnswer {
  events: (AuditEvent & { redacted?: true })[];
  readers: { fromRevision: number; readers: { userId: string | null; username: string | null; role: string }[] }[];
}

async function eventsAs(account: Account, format = "json"): Promise<{ text: string; answer: EventsAnswer }> {
  const response = await fetch(`${server.url}/api/giveaways/${giveawayId}/events?format=${format}`, { headers: { cookie: cookieOf(account) } });
  expect(response.status).toBe(200);
  const text = await response.text();
  const answer = format === "json" ? (JSON.parse(text) as EventsAnswer) : { events: text.trimEnd().split("\n").map((line) => JSON.parse(line)), readers: [] };
  return { text, answer };
}

const ofType = (answer: EventsAnswer, type: string) => answer.events.filter((event) => event.type === type);

/**
 * What a reader can check from an answer alone (docs/audit.md): an event shown whole hashes to its
 * `hash`; a redacted one is taken by its `hash`; each event chains to the one before it when that
 * one is in the answer too. Answers how many events were recomputed.
 */
function checkChain(events: EventsAnswer["events"]): number {
  let recomputed = 0;
  for (const [index, event] of events.entries()) {
    const metadata = event.metadata as Record<string, string>;
    expect(metadata.hash).toMatch(/^[0-9a-f]{64}$/);
    const before = events[index - 1];
    if (event.revision === 0) expect(metadata.prevHash).toBe(genesisHash);
    if (before && before.revision === event.revision - 1) expect(metadata.prevHash).toBe((before.metadata as Record<string, string>).hash);
    if (event.redacted) continue;
    const { prevHash, actorId, correlationId, causationId } = metadata as Record<string, string>;
    const fields = { prevHash: prevHash!, streamId: `giveaway-${giveawayId}`, revision: String(event.revision), id: event.id, type: event.type, data: event.data, actorId: actorId!, correlationId: correlationId!, causationId: causationId! };
    expect(chainHash(fields), `revision ${event.revision}`).toBe(metadata.hash);
    recomputed += 1;
  }
  return recomputed;
}

describe("the events a participant reads name only them and the giver", () => {
  it("the new winner sees the other entrants' and the former winner's ids as null, every event kept", async () => {
    const { gina, walt, carl, lou, pia } = people;
    const { text, answer } = await eventsAs(carl);
    for (const hidden of [walt.id, lou.id, pia.id]) expect(text).not.toContain(hidden);
    expect(ofType(answer, "EntrySubmitted").map((event) => (event.data as { userId: string | null }).userId)).toEqual([null, carl.id, null, null]);
    expect(ofType(answer, "EntrySubmitted").map((event) => (event.metadata as { actorId: string | null }).actorId)).toEqual([null, carl.id, null, "platform:shop"]);
    expect(ofType(answer, "EntryWithdrawn").map((event) => event.data)).toEqual([expect.objectContaining({ userId: null })]);
    expect(ofType(answer, "DrawConducted")[0]!.data).toMatchObject({ winnerId: null });
    expect(ofType(answer, "WinnerRedrawn")[0]!.data).toMatchObject({ winnerId: carl.id, previousWinnerId: null, reason: "declined" });
    expect(ofType(answer, "GiveawayCreated")[0]!.data).toMatchObject({ giverId: gina.id });
    // Who could read: the former winner is there, without their id or name.
    const lastReaders = answer.readers.at(-1)!.readers;
    expect(lastReaders).toEqual([
      expect.objectContaining({ userId: gina.id, username: "gina", role: "giver" }),
      expect.objectContaining({ userId: null, username: null, role: "former_winner" }),
      expect.objectContaining({ userId: carl.id, username: "carl", role: "winner" }),
    ]);
    expect(checkChain(answer.events)).toBeGreaterThan(0);
  });

  it("the former winner does not learn who won after them, nor the other entrants", async () => {
    const { walt, carl, lou, pia } = people;
    const { text, answer } = await eventsAs(walt);
    for (const hidden of [carl.id, lou.id, pia.id]) expect(text).not.toContain(hidden);
    expect(ofType(answer, "DrawConducted")[0]!.data).toMatchObject({ winnerId: walt.id });
    expect(ofType(answer, "WinnerRedrawn")[0]!.data).toMatchObject({ winnerId: null, previousWinnerId: walt.id });
    checkChain(answer.events);
  });

  it("the giver, who ran the draw, sees every entrant's id", async () => {
    const { walt, carl, lou, pia } = people;
    const { text, answer } = await eventsAs(people.gina);
    for (const named of [walt.id, carl.id, lou.id, pia.id]) expect(text).toContain(named);
    expect(ofType(answer, "WinnerRedrawn")[0]!.data).toMatchObject({ winnerId: carl.id, previousWinnerId: walt.id });
  });

  it("NDJSON withholds the same", async () => {
    const { text, answer } = await eventsAs(people.carl, "ndjson");
    expect(text).not.toContain(people.walt.id);
    expect(answer.events).toEqual((await eventsAs(people.carl)).answer.events);
  });
});

describe("a removed message's content is shown to its sender only", () => {
  it("the giver sees the winner's removed message, and each earlier version, as removed, with its hash; the whole chain still checks", async () => {
    const { text, answer } = await eventsAs(people.gina);
    expect(text).not.toContain("Door code 4711");
    const removed = ofType(answer, "MessageSent").find((event) => (event.data as { senderId: string }).senderId === people.carl.id && (event.data as { content: unknown }).content === null)!;
    expect(removed).toMatchObject({ redacted: true, data: { content: null, removed: true } });
    expect(ofType(answer, "MessageEdited")[0]).toMatchObject({ redacted: true, data: { content: null, removed: true } });
    // Her own removed message she still reads.
    expect(text).toContain(giverSecret);
    // Every revision is there, each chained to the one before; only the two redacted events are taken by their hash.
    expect(answer.events.map((event) => event.revision)).toEqual(answer.events.map((_, index) => index));
    expect(checkChain(answer.events)).toBe(answer.events.length - 2);
  });

  it("the sender still reads what they removed; the other side does not", async () => {
    const { text } = await eventsAs(people.carl);
    expect(text).toContain(doorCode);
    expect(text).toContain(doorCodeEdited);
    expect(text).not.toContain(giverSecret);
  });
});

describe("the audit page withholds the same", () => {
  async function page(account: Account): Promise<string> {
    const response = await fetch(`${server.url}/giveaways/${giveawayId}/audit`, { headers: { cookie: cookieOf(account) } });
    expect(response.status).toBe(200);
    return response.text();
  }

  it("the new winner's page names neither the other entrants nor the former winner, nor shows the giver's removed message", async () => {
    const html = await page(people.carl);
    for (const hidden of ["walt", "lou", "pia", people.walt.id, giverSecret]) expect(html).not.toContain(hidden);
    expect(html).toContain("someone else");
    expect(html).toContain(doorCode);
  });

  it("the giver's page shows that the winner removed a message, not what it said", async () => {
    const html = await page(people.gina);
    expect(html).not.toContain("Door code 4711");
    expect(html).toContain("removed since");
    expect(html).toContain("drew the winner: walt");
  });
});

describe("npm run replay -- --as withholds the same; the operator sees everything", () => {
  const env = () => ({ DATA_DIR: server.dataDir });

  it("--as the new winner, as text and as JSON", async () => {
    for (const json of [[], ["--json"]]) {
      const result = await runCliCommand("replay", [giveawayId, "--as", "carl", ...json], env());
      expect(result.code, result.stderr).toBe(0);
      for (const hidden of ["walt", "lou", "pia", people.walt.id, people.lou.id, giverSecret]) expect(result.stdout).not.toContain(hidden);
      expect(result.stdout).toContain(doorCodeEdited);
    }
  }, 60_000);

  it("--as the giver shows the winner's removed message as removed", async () => {
    const result = await runCliCommand("replay", [giveawayId, "--as", "gina"], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain("Door code 4711");
    expect(result.stdout).toContain("carl: (message removed)");
    expect(result.stdout).toContain(giverSecret);
  });

  it("the operator (no --as) sees every version and every name", async () => {
    const result = await runCliCommand("replay", [giveawayId], env());
    expect(result.code, result.stderr).toBe(0);
    for (const shown of [doorCode, doorCodeEdited, giverSecret, "walt"]) expect(result.stdout).toContain(shown);
  });
});

// The audit follows the log like every other way in: after a redraw the new winner audits only
// their own conversation with the giver, the former winner only theirs, the giver both, by round.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../src/audit/auditEvent.ts";
import { runCliCommand } from "../audit/auditFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { send, type SignedInUser } from "./apiFixtures.ts";
import { drawnAmong, hour, movableClock } from "./pickupFixtures.ts";

const clock = movableClock();
let server: TestServer;
let giveawayId: string;
let giver: SignedInUser;
let former: SignedInUser;
let winner: SignedInUser;
let entrants: SignedInUser[];
let redrawRevision: number;

const firstRound = ["Hello first winner, are you there?", "Sorry, busy week - secret: my door code is 4711"];
const secondRound = ["Hello second winner!", "Hi, my phone is 555-0199"];

beforeAll(async () => {
  server = await startTestServer({ overrides: { now: clock.now, pick: () => 0 }, env: { PICKUP_NO_SHOW_SECONDS: String(48 * 3600) } });
  const drawn = await drawnAmong(server, 3);
  ({ giveawayId, giver, entrants } = drawn);
  [former, winner] = drawn.entrants as [SignedInUser, SignedInUser];
  await send(server, giver, giveawayId, firstRound[0]!);
  // The first winner answers once, then goes silent; they decline, and the giver redraws.
  await send(server, former, giveawayId, firstRound[1]!);
  const declined = await request(server.url).post(`/api/giveaways/${giveawayId}/decline`).set(former.auth);
  expect(declined.status).toBe(200);
  const redrawn = await request(server.url).post(`/api/giveaways/${giveawayId}/redraw`).set(giver.auth);
  expect(redrawn.body.winnerId).toBe(winner.id);
  await send(server, giver, giveawayId, secondRound[0]!);
  const last = await send(server, winner, giveawayId, secondRound[1]!);
  redrawRevision = last.revision - 2;
  // The former winner still marks their own conversation read: that is theirs, not the new winner's.
  expect((await request(server.url).post(`/api/giveaways/${giveawayId}/read`).set(former.auth).send({ revision: last.revision })).status).toBe(204);
});
afterAll(() => server.close());

async function auditEvents(user: SignedInUser, query = ""): Promise<AuditEvent[]> {
  const answer = await request(server.url).get(`/api/giveaways/${giveawayId}/events${query}`).set(user.auth);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.events as AuditEvent[];
}

async function ndjsonEvents(user: SignedInUser): Promise<AuditEvent[]> {
  const answer = await request(server.url).get(`/api/giveaways/${giveawayId}/events?format=ndjson`).set(user.auth).buffer(true).parse((res, done) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => (text += chunk));
    res.on("end", () => done(null, text));
  });
  expect(answer.status).toBe(200);
  return (answer.body as string).trimEnd().split("\n").map((line) => JSON.parse(line) as AuditEvent).filter((item) => "type" in item);
}

async function auditPage(user: SignedInUser, query = ""): Promise<string> {
  const answer = await request(server.url).get(`/giveaways/${giveawayId}/audit${query}`).set("Cookie", `handoff_session=${user.token}`);
  expect(answer.status).toBe(200);
  return answer.text;
}

const messagesIn = (events: AuditEvent[]) => events.filter((e) => e.type === "MessageSent").map((e) => (e.data as { content: string }).content);
const escaped = (text: string) => text.replaceAll("'", "&#39;");

describe("the audit after a redraw", () => {
  it("the events API gives the new winner only their round (and the giveaway before it), the former winner only theirs, the giver all", async () => {
    const all = await auditEvents(giver);
    expect(messagesIn(all)).toEqual([...firstRound, ...secondRound]);
    expect(all.find((e) => e.type === "WinnerRedrawn")?.revision).toBe(redrawRevision);

    const newWinner = await auditEvents(winner);
    expect(messagesIn(newWinner)).toEqual(secondRound);
    // Nothing of the first round: not its messages, its decline, nor the former winner's read mark after it.
    expect(newWinner.map((e) => e.type)).toEqual(["GiveawayCreated", "EntrySubmitted", "EntrySubmitted", "EntrySubmitted", "DrawConducted", "WinnerRedrawn", "MessageSent", "MessageSent"]);

    const formerWinner = await auditEvents(former);
    expect(messagesIn(formerWinner)).toEqual(firstRound);
    expect(formerWinner.map((e) => e.type)).toEqual([
      "GiveawayCreated",
      "EntrySubmitted",
      "EntrySubmitted",
      "EntrySubmitted",
      "DrawConducted",
      "MessageSent",
      "MessageSent",
      "PrizeDeclined",
      "WinnerRedrawn",
      "ConversationRead",
    ]);
  });

  it("NDJSON and cuts by revision follow the same rule", async () => {
    expect(messagesIn(await ndjsonEvents(winner))).toEqual(secondRound);
    expect(messagesIn(await ndjsonEvents(former))).toEqual(firstRound);
    // A cut before the redraw shows the new winner nothing of the first round either.
    expect(messagesIn(await auditEvents(winner, `?until=${redrawRevision - 1}`))).toEqual([]);
    expect(messagesIn(await auditEvents(giver, `?until=${redrawRevision - 1}`))).toEqual(firstRound);
  });

  it("the audit page shows each winner only their own conversation, and the giver both", async () => {
    const newWinner = await auditPage(winner);
    for (const text of secondRound) expect(newWinner).toContain(escaped(text));
    for (const text of firstRound) expect(newWinner).not.toContain(escaped(text));
    const early = await auditPage(winner, `?revision=${redrawRevision - 1}`);
    for (const text of firstRound) expect(early).not.toContain(escaped(text));

    const formerWinner = await auditPage(former);
    for (const text of firstRound) expect(formerWinner).toContain(escaped(text));
    for (const text of secondRound) expect(formerWinner).not.toContain(escaped(text));

    const giverPage = await auditPage(giver);
    for (const text of [...firstRound, ...secondRound]) expect(giverPage).toContain(escaped(text));
  });
});

describe("npm run replay after a redraw", () => {
  const env = () => ({ DATA_DIR: server.dataDir });
  // Messages only: pickup steps are "[time] name: * ..." lines.
  const printedMessages = (stdout: string) =>
    stdout.split("\n").filter((line) => line.startsWith("[") && !/^\[[^\]]+\] [^:]+: \* /.test(line)).map((line) => line.replace(/^\[[^\]]+\] [^:]+: /, ""));

  it("--as a winner prints only what the rule gives them; the operator sees both rounds", async () => {
    const asWinner = await runCliCommand("replay", [giveawayId, "--as", winner.username], env());
    expect(asWinner.code, asWinner.stderr).toBe(0);
    expect(printedMessages(asWinner.stdout)).toEqual(secondRound);
    const asFormer = await runCliCommand("replay", [giveawayId, "--as", former.id, "--json"], env());
    expect(asFormer.code, asFormer.stderr).toBe(0);
    const lines = asFormer.stdout.trim().split("\n").map((line) => JSON.parse(line) as { content?: string });
    expect(lines.flatMap((line) => line.content ?? [])).toEqual(firstRound);
    const operator = await runCliCommand("replay", [giveawayId], env());
    expect(printedMessages(operator.stdout)).toEqual([...firstRound, ...secondRound]);
  }, 60_000);

  it("--as someone the rule keeps out is refused", async () => {
    const outsider = await runCliCommand("replay", [giveawayId, "--as", "nobody-by-that-name"], env());
    expect(outsider.code).toBe(2);
    expect(outsider.stderr).toMatch(/--as: no user/);
    const loser = await runCliCommand("replay", [giveawayId, "--as", entrants[2]!.username], env());
    expect(loser.code).toBe(2);
    expect(loser.stderr).toMatch(/only the giver and the winner/);
  }, 60_000);
});

describe("who could read the conversation, at every revision", () => {
  // Each winner reads the other round's winner as "someone else" (issue 26: no other entrant's identity); the giver reads all.
  const nameFor = (viewer: SignedInUser, person: SignedInUser) => (viewer === giver || viewer === person ? person.username : "someone else");
  const atDraw = (viewer: SignedInUser = giver) => `from revision 4: giver ${giver.username}, winner ${nameFor(viewer, former)}`;
  const afterRedraw = (viewer: SignedInUser = giver) =>
    `from revision ${redrawRevision}: giver ${giver.username}, ${nameFor(viewer, former)} (former winner) read-only, winner ${nameFor(viewer, winner)}`;

  it("the audit page says who could read from the draw, and from the redraw on, to each of them", async () => {
    for (const user of [giver, former, winner]) {
      const page = await auditPage(user);
      expect(page).toContain(atDraw(user));
      expect(page).toContain(afterRedraw(user));
    }
    // Cut before the redraw: only the readers of then.
    const early = await auditPage(giver, `?revision=${redrawRevision - 1}`);
    expect(early).toContain(atDraw());
    expect(early).not.toContain("former winner");
    // The giver's lines are marked with their round.
    expect(await auditPage(giver)).toContain(`round 2 · ${winner.username}`);
  });

  it("the events API (JSON) lists each change of readers with roles, and names only the reader's own round", async () => {
    const answer = await request(server.url).get(`/api/giveaways/${giveawayId}/events`).set(winner.auth);
    const reader = (user: SignedInUser, role: string, canWrite: boolean) => ({ userId: user.id, username: user.username, role, canWrite });
    const hidden = (role: string, canWrite: boolean) => ({ userId: null, username: null, role, canWrite });
    expect(answer.body.readers).toEqual([
      { fromRevision: 4, readers: [reader(giver, "giver", true), hidden("winner", true)] },
      { fromRevision: redrawRevision, readers: [reader(giver, "giver", true), hidden("former_winner", false), reader(winner, "winner", true)] },
    ]);
    const asGiver = await request(server.url).get(`/api/giveaways/${giveawayId}/events`).set(giver.auth);
    expect(asGiver.body.readers.at(-1).readers).toEqual([reader(giver, "giver", true), reader(former, "former_winner", false), reader(winner, "winner", true)]);
    const cut = await request(server.url).get(`/api/giveaways/${giveawayId}/events?until=3`).set(giver.auth);
    expect(cut.body.readers).toEqual([]);
  });

  it("npm run replay prints the readers where they change", async () => {
    const result = await runCliCommand("replay", [giveawayId], { DATA_DIR: server.dataDir });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.filter((line) => line.startsWith("--"))).toEqual([`-- ${atDraw()}`, `-- ${afterRedraw()}`]);
    // Each change comes before the messages it governs.
    expect(lines.indexOf(`-- ${afterRedraw()}`)).toBe(4); // after two messages and the declined prize
    expect(lines[5]).toMatch(/: \* redrew the winner/);
  }, 60_000);
});

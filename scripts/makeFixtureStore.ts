// Writes a small embedded store with the running version of handoff, through its real HTTP API, and
// a manifest of what it holds. Kept under test/fixtures/ so every later version must still read,
// project, replay and verify it (test/fixtures/storedFixtures.test.ts).
//   node --import tsx scripts/makeFixtureStore.ts test/fixtures/store-<version>
// Run it once per release that adds events; never regenerate an existing fixture.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../src/config.ts";
import { startServer } from "../src/server.ts";
import { startFakePlatform } from "../test/support/fakePlatform.ts";

const target = process.argv[2];
if (!target) throw new Error("usage: makeFixtureStore.ts <folder>");
if (existsSync(join(target, "events.db"))) throw new Error(`${target} already holds a store: fixtures are never rewritten`);
mkdirSync(target, { recursive: true });

const password = "fixture password 1";
// The platform whose users, giveaways and sign-in links the store records (issue 23).
const platform = await startFakePlatform({ alg: "ES256" });
// A winner is a no-show after one second, and a plan is reminded at once, so the whole pickup fits in a run.
const server = await startServer(
  loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: target,
    JWT_SECRET: "fixture-secret-fixture-secret-01",
    PICKUP_NO_SHOW_SECONDS: "1",
    PICKUP_REMINDER_LEAD_SECONDS: String(30 * 24 * 3600),
    ...platform.env,
  }),
);

async function call(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(server.url + path, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function expectStatus(status: number, method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>) {
  const answer = await call(method, path, token, body, headers);
  if (answer.status !== status) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function user(username: string) {
  const { id } = await expectStatus(201, "POST", "/api/users", undefined, { username, password });
  const { token } = await expectStatus(201, "POST", "/api/tokens", undefined, { username, password });
  return { id: id as string, username, token: token as string, toJSON: () => ({ id, username }) };
}

const gina = await user("Gina");
const walt = await user("walt");
const lou = await user("lou");

// An open giveaway with one entry, and a drawn one with a conversation.
const open = await expectStatus(201, "POST", "/api/giveaways", gina.token, { title: "Box of books", description: "Mostly novels" });
await expectStatus(201, "POST", `/api/giveaways/${open.id}/entries`, lou.token);
const bike = await expectStatus(201, "POST", "/api/giveaways", gina.token, { title: "A <b>bike</b> & a helmet" });
await expectStatus(201, "POST", `/api/giveaways/${bike.id}/entries`, walt.token);
await expectStatus(201, "POST", `/api/giveaways/${bike.id}/entries`, lou.token);
const draw = await expectStatus(200, "POST", `/api/giveaways/${bike.id}/draw`, gina.token);
const winner = draw.winnerId === walt.id ? walt : lou;

const said: Array<[typeof gina, string]> = [
  [gina, "Congratulations! When can you pick it up?"],
  [winner, "Thanks! Saturday at 10?\nI can bring a friend."],
  [winner, "<img src=x onerror=alert(1)> 🚲 café"],
  [gina, "Saturday works. 12 Elm Street."],
];
const messages = [];
for (const [from, content] of said) messages.push(await expectStatus(201, "POST", `/api/giveaways/${bike.id}/messages`, from.token, { content }));
// A retried send with the same id is stored once.
const retryId = "7f0c6b1e-2a4d-4c8e-9b3f-5d6e7f809a1b";
messages.push(await expectStatus(201, "POST", `/api/giveaways/${bike.id}/messages`, winner.token, { content: "See you then", id: retryId }));
await expectStatus(200, "POST", `/api/giveaways/${bike.id}/messages`, winner.token, { content: "See you then", id: retryId });
await expectStatus(204, "POST", `/api/giveaways/${bike.id}/read`, winner.token, { revision: messages[3].revision });

const pickup = await pickupFlow();
const platformPart = await platformFlow();

const winnerInbox = await expectStatus(200, "GET", "/api/inbox", winner.token);
const giverInbox = await expectStatus(200, "GET", "/api/inbox", gina.token);
await server.close();
await platform.close();
// Only the log is the fixture: read models and limits are rebuilt by whoever opens it.
for (const file of ["readmodels.db", "readmodels.db-wal", "readmodels.db-shm", "readmodels.db.lock", "limits.db", "limits.db-wal", "limits.db-shm"]) rmSync(join(target, file), { force: true });

writeFileSync(
  join(target, "manifest.json"),
  JSON.stringify(
    {
      writtenBy: "handoff 0.2.0 with the platform (issue 23): platform users and sign-in links, service keys, idempotent platform calls, a system message, a platform redraw and cancel; and the pickup of 0.1.0",
      password,
      users: { giver: gina, winner, loser: winner === walt ? lou : walt }, // tokens are not kept: sign in again
      openGiveaway: { id: open.id, title: open.title, entrants: 1 },
      drawnGiveaway: { id: bike.id, title: bike.title, winnerId: draw.winnerId },
      messages: messages.map((m) => ({ id: m.id, senderId: m.senderId, content: m.content, revision: m.revision })),
      unread: { winner: winnerInbox.unreadTotal, giver: giverInbox.unreadTotal },
      pickup,
      platform: platformPart,
    },
    null,
    2,
  ) + "\n",
);
process.stdout.write(`fixture written to ${target}\n`);

/**
 * The pickup, through the API: a proposal declined, a proposal and a counter-proposal, the counter
 * accepted, the reminder, both sides of the handover and a thank-you (completed); a silent winner
 * replaced after the no-show time, with a conversation in each round; a prize declined and the
 * giveaway cancelled.
 */
async function pickupFlow() {
  const sam = await user("sam");
  const window = (hours: number) => ({ from: new Date(Date.now() + hours * 3600_000).toISOString(), to: new Date(Date.now() + (hours + 2) * 3600_000).toISOString() });
  const drawnBetween = async (title: string, entrants: Array<typeof gina>) => {
    const giveaway = await expectStatus(201, "POST", "/api/giveaways", gina.token, { title });
    for (const entrant of entrants) await expectStatus(201, "POST", `/api/giveaways/${giveaway.id}/entries`, entrant.token);
    const drawn = await expectStatus(200, "POST", `/api/giveaways/${giveaway.id}/draw`, gina.token);
    const winner = entrants.find((entrant) => entrant.id === drawn.winnerId)!;
    return { id: giveaway.id as string, title, winner, others: entrants.filter((entrant) => entrant !== winner) };
  };
  const say = (giveawayId: string, from: typeof gina, content: string) => expectStatus(201, "POST", `/api/giveaways/${giveawayId}/messages`, from.token, { content });

  // Completed: proposals, a decline, a counter-proposal accepted, the reminder, the handover.
  const lamp = await drawnBetween("A reading lamp", [walt]);
  const base = `/api/giveaways/${lamp.id}`;
  await say(lamp.id, gina, "The lamp is yours. When suits you?");
  const first = await expectStatus(201, "POST", `${base}/pickup/proposals`, gina.token, { ...window(20), place: "12 Elm Street" });
  await expectStatus(200, "POST", `${base}/pickup/proposals/${first.proposalId}/decline`, walt.token);
  const second = await expectStatus(201, "POST", `${base}/pickup/proposals`, gina.token, { ...window(44), place: "12 Elm Street", note: "ring twice" });
  const counter = await expectStatus(201, "POST", `${base}/pickup/proposals`, walt.token, { ...window(46), place: "12 Elm Street", note: "after work" });
  await expectStatus(200, "POST", `${base}/pickup/proposals/${counter.proposalId}/accept`, gina.token);
  // The reminder is sent by the server's scheduler: wait until it is recorded.
  for (let attempt = 0; ; attempt++) {
    const events = await expectStatus(200, "GET", `${base}/events`, gina.token);
    if (events.events.some((event: { type: string }) => event.type === "PickupReminderSent")) break;
    if (attempt > 200) throw new Error("no pickup reminder was recorded");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await expectStatus(200, "POST", `${base}/handover`, gina.token);
  await expectStatus(200, "POST", `${base}/handover`, walt.token);
  await say(lamp.id, walt, "Thanks again, it works!");
  const lampProposals = await expectStatus(200, "GET", `${base}/pickup/proposals`, gina.token);

  // A no-show: the first winner never answers; after the no-show time the giver redraws.
  const chair = await drawnBetween("A chair", [lou, sam]);
  const firstRound = [await say(chair.id, gina, "Hi! Still interested in the chair?")];
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const redrawn = await expectStatus(200, "POST", `/api/giveaways/${chair.id}/redraw`, gina.token, { replacing: chair.winner.id });
  const newWinner = chair.others[0]!;
  const secondRound = [await say(chair.id, gina, "The chair is yours now."), await say(chair.id, newWinner, "Great, I can come tomorrow.")];

  // Declined and cancelled.
  const kettle = await drawnBetween("A kettle", [walt]);
  await expectStatus(200, "POST", `/api/giveaways/${kettle.id}/decline`, walt.token);
  await expectStatus(200, "POST", `/api/giveaways/${kettle.id}/cancel`, gina.token, { reason: "Nobody else entered" });

  const messageOf = (m: { id: string; senderId: string; content: string; revision: number }) => ({ id: m.id, senderId: m.senderId, content: m.content, revision: m.revision });
  return {
    sam: { id: sam.id, username: sam.username },
    completed: {
      id: lamp.id,
      title: lamp.title,
      winnerId: walt.id,
      proposals: lampProposals.proposals.map((p: { proposalId: string; status: string }) => ({ proposalId: p.proposalId, status: p.status })),
      planId: counter.proposalId,
      supersededId: second.proposalId,
    },
    redrawn: {
      id: chair.id,
      title: chair.title,
      formerWinnerId: chair.winner.id,
      winnerId: redrawn.winnerId,
      firstRound: firstRound.map(messageOf),
      secondRound: secondRound.map(messageOf),
    },
    cancelled: { id: kettle.id, title: kettle.title, winnerId: walt.id, reason: "Nobody else entered" },
  };
}

/**
 * The platform (issue 23): its users sign in with its tokens (one renamed, one by a spent /sso link), its
 * backend pushes a giveaway through a draw with a service key (a retried call answered once), posts a
 * system message, and redraws and cancels a second one; its users chat in the first.
 */
async function platformFlow() {
  const serviceKey = await server.handoff.serviceKeys.create("fixture-platform");
  let calls = 0;
  const push = (status: number, method: string, path: string, body?: unknown) =>
    expectStatus(status, method, `/api/platform${path}`, serviceKey, body, { "Idempotency-Key": `fixture-${++calls}` });
  const ada = await platform.sign({ sub: "p-ada", name: "Ada Platform", email: "ada@platform.example", roles: ["member"] });
  await expectStatus(200, "GET", "/api/me", ada);
  await expectStatus(200, "GET", "/api/me", await platform.sign({ sub: "p-ben", name: "Ben" }));
  // A new name in a later token is a new profile event.
  const ben = await platform.sign({ sub: "p-ben", name: "Ben Renamed" });
  const sso = await fetch(`${server.url}/sso?token=${await platform.sign({ sub: "p-ada", name: "Ada Platform" })}&next=/inbox`, { redirect: "manual" });
  if (sso.status !== 303) throw new Error(`/sso: ${sso.status}`);

  const sofa = await push(201, "PUT", "/giveaways/sofa-1", { title: "A green sofa", description: "Seats three", giverId: "p-ada" });
  await push(200, "PUT", "/giveaways/sofa-1", { title: "A green sofa (heavy)", giverId: "p-ada" });
  await push(201, "PUT", "/giveaways/sofa-1/entrants/p-ben");
  await push(201, "PUT", "/giveaways/sofa-1/entrants/p-cy");
  await push(204, "DELETE", "/giveaways/sofa-1/entrants/p-cy");
  // A retried draw (the same Idempotency-Key) is answered once and stored once.
  const drawHeaders = { "Idempotency-Key": "fixture-draw" };
  await expectStatus(200, "POST", "/api/platform/giveaways/sofa-1/draw", serviceKey, { winnerId: "p-ben" }, drawHeaders);
  await expectStatus(200, "POST", "/api/platform/giveaways/sofa-1/draw", serviceKey, { winnerId: "p-ben" }, drawHeaders);
  const notice = await push(201, "POST", "/giveaways/sofa-1/messages", { content: "The giver marked this item as reserved for you" });
  const said = [
    await expectStatus(201, "POST", `/api/giveaways/${sofa.id}/messages`, ada, { content: "Hi Ben, the sofa is yours" }),
    await expectStatus(201, "POST", `/api/giveaways/${sofa.id}/messages`, ben, { content: "Great, thank you!" }),
  ];

  const desk = await push(201, "PUT", "/giveaways/desk-2", { title: "A desk", giverId: "p-ada" });
  await push(201, "PUT", "/giveaways/desk-2/entrants/p-ben");
  await push(201, "PUT", "/giveaways/desk-2/entrants/p-cy");
  await push(200, "POST", "/giveaways/desk-2/draw", { winnerId: "p-ben" });
  await push(200, "POST", "/giveaways/desk-2/redraw", { winnerId: "p-cy" });
  await push(200, "POST", "/giveaways/desk-2/cancel", { reason: "Sold elsewhere" });

  const messageOf = (m: { id: string; senderId: string | null; content: string; revision: number; kind: string }) => ({ id: m.id, senderId: m.senderId, content: m.content, revision: m.revision, kind: m.kind });
  return {
    // A fixture's own secret: it opens nothing but this store.
    serviceKey,
    users: { ada: { sub: "p-ada", name: "Ada Platform" }, ben: { sub: "p-ben", name: "Ben Renamed" }, cy: { sub: "p-cy", name: "p-cy" } },
    drawn: { platformId: "sofa-1", id: sofa.id as string, title: "A green sofa (heavy)", messages: [messageOf(notice), ...said.map(messageOf)] },
    cancelled: { platformId: "desk-2", id: desk.id as string, reason: "Sold elsewhere" },
  };
}

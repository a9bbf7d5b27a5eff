// Writes a small embedded store with the running version of handoff, through its real HTTP API, and
// a manifest of what it holds. Kept under test/fixtures/ so every later version must still read,
// project, replay and verify it (test/fixtures/storedFixtures.test.ts).
//   node --import tsx scripts/makeFixtureStore.ts test/fixtures/store-<version>
// Run it once per release that adds events; never regenerate an existing fixture.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../src/config.ts";
import { startServer } from "../src/server.ts";

const target = process.argv[2];
if (!target) throw new Error("usage: makeFixtureStore.ts <folder>");
if (existsSync(join(target, "events.db"))) throw new Error(`${target} already holds a store: fixtures are never rewritten`);
mkdirSync(target, { recursive: true });

const password = "fixture password 1";
const server = await startServer(loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: target, JWT_SECRET: "fixture-secret-fixture-secret-01" }));

async function call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(server.url + path, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function expectStatus(status: number, method: string, path: string, token?: string, body?: unknown) {
  const answer = await call(method, path, token, body);
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

const winnerInbox = await expectStatus(200, "GET", "/api/inbox", winner.token);
const giverInbox = await expectStatus(200, "GET", "/api/inbox", gina.token);
await server.close();

writeFileSync(
  join(target, "manifest.json"),
  JSON.stringify(
    {
      writtenBy: "handoff 0.1.0 (before issues 8-13)",
      password,
      users: { giver: gina, winner, loser: winner === walt ? lou : walt }, // tokens are not kept: sign in again
      openGiveaway: { id: open.id, title: open.title, entrants: 1 },
      drawnGiveaway: { id: bike.id, title: bike.title, winnerId: draw.winnerId },
      messages: messages.map((m) => ({ id: m.id, senderId: m.senderId, content: m.content, revision: m.revision })),
      unread: { winner: winnerInbox.unreadTotal, giver: giverInbox.unreadTotal },
    },
    null,
    2,
  ) + "\n",
);
process.stdout.write(`fixture written to ${target}\n`);

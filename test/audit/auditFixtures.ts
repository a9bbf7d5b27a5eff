// A real giveaway run through handoff.commands, with the conversation the read models showed at
// several moments (revision, recorded time, messages), for replay and tamper tests to compare with.
import { spawn } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { fileURLToPath } from "node:url";
import type { Account } from "../../src/app/userAccounts.ts";
import type { Handoff } from "../../src/app/handoff.ts";
import { giveawayStream } from "../../src/domain/streams.ts";
import type { MessageView } from "../../src/projections/conversationProjection.ts";
import { vi } from "vitest";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface Moment {
  /** Stream revision of the last event at that moment. */
  revision: number;
  /** When the store recorded that event. */
  time: Date;
  /** What the conversation read model showed then. */
  messages: MessageView[];
}

export interface Conversation {
  giveawayId: string;
  giver: Account;
  winner: Account;
  moments: Moment[];
}

export async function registerUser(handoff: Handoff, username: string): Promise<Account> {
  const result = await handoff.accounts.register({ username, password: "correct horse battery", correlationId: handoff.newId() });
  if (!result.ok) throw new Error(`register ${username}: ${result.error.message}`);
  return result.account;
}

const context = (handoff: Handoff, actorId: string) => ({ actorId, correlationId: handoff.newId(), causationId: handoff.newId() });

function until(condition: () => boolean, what: string): Promise<void> {
  return vi.waitFor(
    () => {
      if (!condition()) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: 10_000, interval: 5 },
  );
}

/** Waits until the read models have applied the stream up to `revision`. */
export async function projected(handoff: Handoff, giveawayId: string, revision: number): Promise<void> {
  const lastRevision = handoff.readDb.prepare<[string], { last_revision: number }>("SELECT last_revision FROM giveaways WHERE id = ?");
  await until(() => (lastRevision.get(giveawayId)?.last_revision ?? -1) >= revision, `the read models to reach revision ${revision}`);
}

/** Runs a command and fails the test when it is refused; returns the stream revision after it. */
export async function run(handoff: Handoff, giveawayId: string, actorId: string, command: Parameters<Handoff["commands"]>[1]): Promise<number> {
  const result = await handoff.commands(giveawayId, command, context(handoff, actorId));
  if (!result.ok) throw new Error(`${command.type} refused: ${result.error.message}`);
  return Number(result.revision);
}

/** A giveaway created, entered by the winner (and `alsoEntered`), drawn, and open for messages. */
export async function drawnGiveaway(handoff: Handoff, giver: Account, winner: Account, alsoEntered: Account[] = []): Promise<string> {
  const giveawayId = handoff.newId();
  const now = () => new Date();
  await run(handoff, giveawayId, giver.id, { type: "CreateGiveaway", giveawayId, giverId: giver.id, title: "A <b>bike</b> & a helmet", now: now() });
  for (const entrant of [winner, ...alsoEntered]) await run(handoff, giveawayId, entrant.id, { type: "SubmitEntry", userId: entrant.id, now: now() });
  const revision = await run(handoff, giveawayId, giver.id, { type: "ConductDraw", by: giver.id, now: now(), pick: () => 0 });
  await projected(handoff, giveawayId, revision);
  return giveawayId;
}

export async function send(handoff: Handoff, giveawayId: string, sender: Account, content: string): Promise<number> {
  return run(handoff, giveawayId, sender.id, { type: "SendMessage", messageId: handoff.newId(), senderId: sender.id, content, now: new Date() });
}

export async function markRead(handoff: Handoff, giveawayId: string, reader: Account, upToRevision: number): Promise<number> {
  return run(handoff, giveawayId, reader.id, { type: "MarkConversationRead", userId: reader.id, upToRevision, now: new Date() });
}

/** What the read models show right now, and when the store recorded the stream's last event. */
export async function moment(handoff: Handoff, giveawayId: string, revision: number): Promise<Moment> {
  await projected(handoff, giveawayId, revision);
  const [last] = await handoff.store.readStream(giveawayStream(giveawayId), { direction: "backwards", maxCount: 1 });
  if (!last || Number(last.revision) !== revision) throw new Error(`expected the stream to end at revision ${revision}`);
  const time = last.created;
  // The next event must be recorded in a later millisecond, so a cut at `time` tells them apart.
  await until(() => Date.now() > time.getTime(), "the clock to move on");
  return { revision, time, messages: handoff.queries.messagesAfter(giveawayId, -1) };
}

/** Giver and winner talk, with read marks between; the read models are captured after several steps. */
export async function conversationWithMoments(handoff: Handoff, names: { giver: string; winner: string; loser: string }): Promise<Conversation & { loser: Account }> {
  const giver = await registerUser(handoff, names.giver);
  const winner = await registerUser(handoff, names.winner);
  const loser = await registerUser(handoff, names.loser);
  const giveawayId = await drawnGiveaway(handoff, giver, winner, [loser]);
  const moments: Moment[] = [];
  let revision = 3; // created, two entries, draw
  moments.push(await moment(handoff, giveawayId, revision));
  revision = await send(handoff, giveawayId, giver, "Congratulations! When can you pick it up?");
  moments.push(await moment(handoff, giveawayId, revision));
  revision = await markRead(handoff, giveawayId, winner, revision);
  revision = await send(handoff, giveawayId, winner, "Thanks! Saturday at 10?\nI can bring a friend.");
  revision = await send(handoff, giveawayId, winner, "<img src=x onerror=alert(1)>");
  moments.push(await moment(handoff, giveawayId, revision));
  revision = await send(handoff, giveawayId, giver, "Saturday works.");
  revision = await markRead(handoff, giveawayId, giver, revision);
  moments.push(await moment(handoff, giveawayId, revision));
  return { giveawayId, giver, winner, loser, moments };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node --import tsx src/cli/<name>.ts ...args` as a child process over the given data dir. */
export function runCliCommand(name: "replay" | "verify" | "rebuild" | "projections" | "serviceKeys" | "moderators", args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", `src/cli/${name}.ts`, ...args], {
      cwd: repoRoot,
      env: { ...process.env, EVENT_STORE: "sqlite", STORE_DURABILITY: "normal", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every row of every read-model table in DATA_DIR/readmodels.db, sorted: two dumps are equal when the read models are. */
export function dumpReadModels(dataDir: string): Record<string, string[]> {
  const db = new Database(join(dataDir, "readmodels.db"), { readonly: true });
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all().map((row) => JSON.stringify(row)).sort()]));
  } finally {
    db.close();
  }
}

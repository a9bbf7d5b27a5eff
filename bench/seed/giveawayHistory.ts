// Writes a realistic history straight into an event store, fast: users, then giveaways that are
// created, entered, drawn, and talked about at length, with read marks now and then. The events
// are the ones the app writes: decided by the domain where a decision is involved, checked against
// the event catalogue, with the same metadata and hash chain as giveawayCommandHandler, so the
// projections and the server take them as their own.
import { randomBytes, randomUUID } from "node:crypto";
import { EventMetadataSchema, type CommandContext, type EventMetadata } from "../../src/domain/eventMetadata.ts";
import { hashPassword } from "../../src/app/passwordHash.ts";
import { parseGiveawayEvent, type GiveawayEvent } from "../../src/domain/events.ts";
import { evolve, initialState, type GiveawayState } from "../../src/domain/giveaway.ts";
import { decide, type GiveawayCommand } from "../../src/domain/giveawayDecide.ts";
import { chainHash, genesisHash } from "../../src/domain/hashChain.ts";
import { giveawayStream, usernameStream, userStream } from "../../src/domain/streams.ts";
import { decideRegisterUser } from "../../src/domain/users.ts";
import type { EventStore, EventToAppend } from "../../src/eventstore/port.ts";

export interface HistoryPlan {
  users: number;
  giveaways: number;
  entrantsPerGiveaway: number;
  messagesPerGiveaway: number;
  /** A read mark by the recipient after every this many messages (0: none). */
  readEvery: number;
}

export interface SeededUser {
  id: string;
  username: string;
}

export interface SeededGiveaway {
  giveawayId: string;
  giver: SeededUser;
  winner: SeededUser;
  /** Revision of the stream's last event. */
  lastRevision: number;
  /** Revisions of its MessageSent events, in order. */
  messageRevisions: number[];
}

export interface SeededHistory {
  events: number;
  users: SeededUser[];
  giveaways: SeededGiveaway[];
}

export const seedPassword = "bench-password-1";

const phrases = [
  "Hi! Thanks so much for picking me, I'm really happy about it.",
  "Congratulations! When would suit you to come and get it?",
  "Would Thursday after six work? I could also do Saturday morning.",
  "Thursday is perfect. The address is on the listing, second floor, the bell says Moreau.",
  "Great, see you then. Should I bring anything to carry it?",
  "A bag would help, it is a bit bulky but not heavy.",
  "On my way, about ten minutes out.",
  "No rush, I'm home all evening.",
  "Here now, I'm at the door.",
  "Thank you again, it looks even better than in the pictures!",
  "Ok",
  "Sorry, running late: the tram is stuck. Twenty minutes?",
];

/** Batches that are issued together share one group commit in the embedded store. */
const giveawaysPerChunk = 200;
const eventsPerAppend = 10;

function contextFor(actorId: string): CommandContext {
  const requestId = randomUUID();
  return { actorId, correlationId: requestId, causationId: requestId };
}

/** One stream's events as the command handler would append them: ids, metadata, hash chain. */
class StreamWriter {
  readonly events: EventToAppend[] = [];
  state: GiveawayState = initialState;
  private lastHash = genesisHash;
  constructor(readonly streamId: string) {}

  get revision(): number {
    return this.events.length - 1;
  }

  decide(command: GiveawayCommand, actorId: string): void {
    const decision = decide(command, this.state);
    if (!decision.ok) throw new Error(`seed history: ${decision.error.code}: ${decision.error.message}`);
    for (const event of decision.events) this.push(event, actorId, true);
  }

  /** For messages and read marks: built directly (folding thousands of messages copies maps). */
  push(decided: GiveawayEvent, actorId: string, fold = false): void {
    const event = parseGiveawayEvent(decided.type, decided.data);
    const revision = this.events.length;
    const id = event.type === "MessageSent" ? event.data.messageId : randomUUID();
    const context = contextFor(actorId);
    const prevHash = this.lastHash;
    this.lastHash = chainHash({ prevHash, streamId: this.streamId, revision: String(revision), id, type: event.type, data: event.data, ...context });
    const metadata: EventMetadata = EventMetadataSchema.parse({ ...context, prevHash, hash: this.lastHash });
    if (fold) this.state = evolve(this.state, event, revision);
    this.events.push({ id, type: event.type, data: event.data, metadata });
  }
}

function giveawayEvents(plan: HistoryPlan, users: SeededUser[], index: number, startsAt: number): { writer: StreamWriter; seeded: SeededGiveaway } {
  const giveawayId = randomUUID();
  const giver = users[index % users.length]!;
  const entrants = Array.from({ length: plan.entrantsPerGiveaway }, (_, k) => users[(index + 1 + k) % users.length]!).filter((u) => u.id !== giver.id);
  let clock = startsAt;
  const at = () => new Date((clock += 7000));
  const writer = new StreamWriter(giveawayStream(giveawayId));
  writer.decide({ type: "CreateGiveaway", giveawayId, giverId: giver.id, title: `Giveaway ${index}: a reading lamp`, description: "Works fine, a bit scratched.", now: at() }, giver.id);
  for (const entrant of entrants) writer.decide({ type: "SubmitEntry", userId: entrant.id, now: at() }, entrant.id);
  writer.decide({ type: "ConductDraw", by: giver.id, now: at(), pick: (n) => index % n }, giver.id);
  const state = writer.state;
  if (state.status !== "drawn") throw new Error("seed history: the draw did not happen");
  const winner = entrants.find((u) => u.id === state.winnerId)!;
  const messageRevisions: number[] = [];
  for (let m = 0; m < plan.messagesPerGiveaway; m++) {
    const sender = m % 2 === 0 ? giver : winner;
    const recipient = sender === giver ? winner : giver;
    const content = `${phrases[(index + m) % phrases.length]!} (${m})`;
    writer.push({ type: "MessageSent", data: { messageId: randomUUID(), senderId: sender.id, content, sentAt: at().toISOString() } }, sender.id);
    messageRevisions.push(writer.revision);
    if (plan.readEvery > 0 && (m + 1) % plan.readEvery === 0) {
      writer.push({ type: "ConversationRead", data: { userId: recipient.id, upToRevision: writer.revision, readAt: at().toISOString() } }, recipient.id);
    }
  }
  return { writer, seeded: { giveawayId, giver, winner, lastRevision: writer.revision, messageRevisions } };
}

/** Events one giveaway will have: create, entries, draw, messages, read marks. */
export function eventsPerGiveaway(plan: Omit<HistoryPlan, "users" | "giveaways">): number {
  return 2 + plan.entrantsPerGiveaway + plan.messagesPerGiveaway + (plan.readEvery > 0 ? Math.floor(plan.messagesPerGiveaway / plan.readEvery) : 0);
}

export async function writeHistory(store: EventStore, plan: HistoryPlan, onProgress?: (events: number) => void): Promise<SeededHistory> {
  const run = randomBytes(3).toString("hex");
  const passwordHash = await hashPassword(seedPassword); // one hash for all: the same password
  const users: SeededUser[] = [];
  let events = 0;
  const registeredAt = new Date(Date.now() - 40 * 24 * 3600_000);
  for (let start = 0; start < plan.users; start += 500) {
    const appends: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(plan.users, start + 500); i++) {
      const user = { id: randomUUID(), username: `seed_${run}_${i}` };
      const decision = decideRegisterUser({ type: "RegisterUser", userId: user.id, username: user.username, passwordHash, now: registeredAt });
      if (!decision.ok) throw new Error(`seed history: ${decision.error.message}`);
      const metadata = contextFor(user.id);
      // By type, not position: the domain decides both, in an order that is its own business.
      const reserved = decision.events.find((event) => event.type === "UsernameReserved");
      const registered = decision.events.find((event) => event.type === "UserRegistered");
      appends.push(store.appendToStream(usernameStream(user.username), [{ id: randomUUID(), ...reserved!, metadata }], { expectedRevision: "no_stream" }));
      appends.push(store.appendToStream(userStream(user.id), [{ id: randomUUID(), ...registered!, metadata }], { expectedRevision: "no_stream" }));
      users.push(user);
      events += 2;
    }
    await Promise.all(appends);
  }

  const giveaways: SeededGiveaway[] = [];
  const startsAt = Date.now() - 30 * 24 * 3600_000;
  for (let start = 0; start < plan.giveaways; start += giveawaysPerChunk) {
    const chunk = Array.from({ length: Math.min(giveawaysPerChunk, plan.giveaways - start) }, (_, k) => giveawayEvents(plan, users, start + k, startsAt + (start + k) * 60_000));
    // Round by round, ten events of each giveaway at a time: the log interleaves conversations as a live one does.
    const longest = Math.max(...chunk.map(({ writer }) => writer.events.length));
    for (let from = 0; from < longest; from += eventsPerAppend) {
      const appends = chunk
        .filter(({ writer }) => writer.events.length > from)
        .map(({ writer }) =>
          store.appendToStream(writer.streamId, writer.events.slice(from, from + eventsPerAppend), {
            expectedRevision: from === 0 ? "no_stream" : BigInt(from - 1),
          }),
        );
      await Promise.all(appends);
    }
    for (const { writer, seeded } of chunk) {
      events += writer.events.length;
      giveaways.push(seeded);
    }
    onProgress?.(events);
  }
  return { events, users, giveaways };
}

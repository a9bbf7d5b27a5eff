// A deterministic event log of any size, written straight through the store port: users register
// (and platform users arrive), sign in and out, block each other, get moderator grants and
// suspensions; giveaways are created, entered (and left), drawn, talked about (replies, attachments,
// reactions, edits, removals, read marks, mutes, system notices, reports, moderators' hides and
// dismissals), their pickups proposed, declined, superseded, agreed, reminded, handed over and
// completed, rated (and re-rated), or the prize declined and redrawn, or cancelled. Many stories run
// at once, so the log interleaves them as a live one does.
//
// Same seed, same events (ids, data, order); only the store's own commit times differ. Every event is
// checked against the catalogue before it is written and carries who did it (actorId, correlation
// and causation ids); with `chain`, giveaway events also carry the command handler's hash chain. The
// stories follow the domain's rules loosely (participants send, the other side answers a proposal,
// ...) but no decider is asked: the read models, not the deciders, are what this log is for.
import { giveawayEvents as giveawayCatalogue, parseGiveawayEvent, parseUserEvent, userEvents as userCatalogue } from "../../src/domain/events.ts";
import { reactionEmoji } from "../../src/domain/conversationEvents.ts";
import { chainHash, genesisHash } from "../../src/domain/hashChain.ts";
import { giveawayStream, giveawayStreamPrefix, platformTokenStream, usernameStream, userStream, userStreamPrefix } from "../../src/domain/streams.ts";
import type { EventStore, EventToAppend } from "../../src/eventstore/port.ts";

export interface GeneratedEvent {
  streamId: string;
  /** The event's revision in its stream. */
  revision: number;
  event: EventToAppend;
}

export interface GeneratorOptions {
  /** Exactly this many events. */
  events: number;
  seed?: number;
  /**
   * Give giveaway events the command handler's hash chain (prevHash, hash), so the audit's chain
   * check passes over the log. Off by default: no read model reads it, and it costs a second per 100,000 events.
   */
  chain?: boolean;
}

export interface GeneratedStoreSummary {
  events: number;
  /** Events of the giveaway and user streams: what the read models follow. */
  projectedEvents: number;
  /** Global position of the last of those (what a caught-up runner has reached). */
  lastProjectedPosition: bigint;
  byType: Record<string, number>;
  commits: number;
}

// ---- a seeded PRNG (sfc32) and what the stories draw from it ----

class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }
  /** A uint32. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** In [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("generated store: pick from nothing");
    return items[Math.floor(this.float() * items.length)]!;
  }
  /** A lower-case version 4 uuid. */
  uuid(): string {
    const hex = (n: number) => n.toString(16).padStart(8, "0");
    const [w0, w1, w2, w3] = [this.next(), this.next(), this.next(), this.next()];
    const h = hex(w0) + hex(((w1 & 0xffff0fff) | 0x00004000) >>> 0) + hex(((w2 & 0x3fffffff) | 0x80000000) >>> 0) + hex(w3);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }
}

const titles = ["A reading lamp", "Box of children's books", "Road bike, 54 cm", "Sofa (needs a van)", "Houseplants", "Kitchen scale", "Winter coat, size M", "Board games", "Desk chair", "Baby stroller"];
const phrases = [
  "Congratulations! When would suit you to come and get it?",
  "Hi! Thanks so much for picking me.",
  "Would Thursday after six work? Saturday morning is fine too.",
  "Thursday is perfect. Second floor, the bell says Moreau.",
  "Great, see you then. Should I bring a bag?",
  "A bag would help, it is bulky but not heavy.",
  "On my way, about ten minutes out.",
  "Sorry, running late: the tram is stuck. Twenty minutes?",
  "Here now, at the door.",
  "Thank you again, it looks even better than in the pictures!",
  "Ok",
  "Can you send a photo of the label?",
  "Does it come with the charger?",
  "Please pay the delivery fee to this account first", // what gets reported
];
const places = ["Main St 1", "Central station, north exit", "Library steps", "Corner of Elm and 5th", "My building's lobby"];

interface User {
  id: string;
  username: string;
  /** Sessions started and not ended. */
  sessions: string[];
  blocks: Set<string>;
  suspended: boolean;
  /** Set for a platform user. */
  platformSub?: string;
}

interface World {
  random: Random;
  users: User[];
  moderators: string[];
  /** The clock the event payloads use; it only moves forward. */
  now(): string;
  /** Milliseconds since the epoch, for payload instants in the future. */
  nowMs(): number;
}

/** One decision's events: written consecutively (one append per stream run). */
type Step = { streamId: string; type: string; data: unknown; actorId: string }[];

// ---- the stories ----

function* userActivity(world: World): Generator<Step> {
  const { random } = world;
  let registered = 0;
  const register = (): Step => {
    const user: User = { id: random.uuid(), username: `user_${registered++}_${random.next().toString(36)}`, sessions: [], blocks: new Set(), suspended: false };
    world.users.push(user);
    if (random.chance(0.25)) {
      const sub = `plat-${random.next().toString(36)}`;
      user.platformSub = sub;
      return [
        { streamId: userStream(user.id), type: "PlatformUserLinked", data: { userId: user.id, sub, linkedAt: world.now() }, actorId: user.id },
        {
          streamId: userStream(user.id),
          type: "PlatformProfileRecorded",
          data: {
            userId: user.id,
            sub,
            name: `Platform ${user.username}`,
            picture: random.chance(0.5) ? `https://cdn.example/${sub}.png` : undefined,
            // Absent: a token without a roles claim (the catalogue's default is []).
            roles: random.chance(0.03) ? ["moderator"] : random.chance(0.5) ? ["member"] : undefined,
            recordedAt: world.now(),
          },
          actorId: user.id,
        },
      ];
    }
    return [
      { streamId: usernameStream(user.username), type: "UsernameReserved", data: { userId: user.id, username: user.username }, actorId: user.id },
      { streamId: userStream(user.id), type: "UserRegistered", data: { userId: user.id, username: user.username, passwordHash: "scrypt$generated", registeredAt: world.now() }, actorId: user.id },
    ];
  };
  for (let i = 0; i < 300; i++) yield register();
  for (let i = 0; i < 4; i++) {
    const moderator = world.users[i]!;
    world.moderators.push(moderator.id);
    yield [{ streamId: userStream(moderator.id), type: "ModeratorGranted", data: { userId: moderator.id, grantedAt: world.now() }, actorId: moderator.id }];
  }
  const suspended: User[] = [];
  for (;;) {
    const user = random.pick(world.users);
    const stream = userStream(user.id);
    const roll = random.float();
    if (roll < 0.13) yield register();
    else if (roll < 0.14) {
      // A reservation whose registration never happened (a crash between the two writes), then released.
      const username = `lost_${random.next().toString(36)}`;
      const userId = random.uuid();
      yield [{ streamId: usernameStream(username), type: "UsernameReserved", data: { userId, username }, actorId: userId }];
      yield [{ streamId: usernameStream(username), type: "UsernameReleased", data: { userId, username, releasedAt: world.now() }, actorId: userId }];
    } else if (roll < 0.4) {
      const sessionId = random.uuid();
      user.sessions.push(sessionId);
      const startedAt = world.now();
      yield [{ streamId: stream, type: "SessionStarted", data: { userId: user.id, sessionId, startedAt, expiresAt: new Date(world.nowMs() + 30 * 86400_000).toISOString() }, actorId: user.id }];
      if (random.chance(0.1)) {
        // A one-time sign-in link was used: its own stream, which no read model follows.
        const jtiDigest = Array.from({ length: 8 }, () => random.next().toString(16).padStart(8, "0")).join("");
        yield [{ streamId: platformTokenStream(jtiDigest), type: "PlatformTokenUsed", data: { jtiDigest, userId: user.id, usedAt: world.now() }, actorId: user.id }];
      }
    } else if (roll < 0.6 && user.sessions.length > 0) {
      const sessionId = user.sessions.splice(random.int(0, user.sessions.length - 1), 1)[0]!;
      yield [{ streamId: stream, type: "SessionEnded", data: { userId: user.id, sessionId, endedAt: world.now() }, actorId: user.id }];
    } else if (roll < 0.65) {
      user.sessions = [];
      yield [{ streamId: stream, type: "AllSessionsEnded", data: { userId: user.id, endedAt: world.now() }, actorId: user.id }];
    } else if (roll < 0.72) {
      const other = random.pick(world.users);
      if (other.id === user.id || user.blocks.has(other.id)) continue;
      user.blocks.add(other.id);
      yield [{ streamId: stream, type: "UserBlocked", data: { userId: user.id, blockedUserId: other.id, blockedAt: world.now() }, actorId: user.id }];
    } else if (roll < 0.77 && user.blocks.size > 0) {
      const blockedUserId = random.pick([...user.blocks]);
      user.blocks.delete(blockedUserId);
      yield [{ streamId: stream, type: "UserUnblocked", data: { userId: user.id, blockedUserId, unblockedAt: world.now() }, actorId: user.id }];
    } else if (roll < 0.8 && !user.suspended) {
      const moderatorId = random.pick(world.moderators);
      user.suspended = true;
      suspended.push(user);
      user.sessions = [];
      const until = random.chance(0.7) ? new Date(world.nowMs() + random.int(1, 14) * 86400_000).toISOString() : undefined;
      const suspendedAt = world.now();
      // The same append ends every session of the user (moderationEvents.ts).
      yield [
        { streamId: stream, type: "UserSuspended", data: { userId: user.id, moderatorId, reason: "scam reports", until, suspendedAt }, actorId: moderatorId },
        { streamId: stream, type: "AllSessionsEnded", data: { userId: user.id, endedAt: suspendedAt }, actorId: moderatorId },
      ];
    } else if (roll < 0.84 && suspended.length > 0) {
      const moderatorId = random.pick(world.moderators);
      const lifted = suspended.splice(random.int(0, suspended.length - 1), 1)[0]!;
      lifted.suspended = false;
      yield [{ streamId: userStream(lifted.id), type: "UserUnsuspended", data: { userId: lifted.id, moderatorId, reason: "appeal granted", unsuspendedAt: world.now() }, actorId: moderatorId }];
    } else if (roll < 0.85) {
      // The operator's grants: rare, and never the last moderator revoked.
      const grant = !world.moderators.includes(user.id);
      if (grant) world.moderators.push(user.id);
      else if (world.moderators.length > 1) world.moderators.splice(world.moderators.indexOf(user.id), 1);
      else continue;
      yield [{ streamId: stream, type: grant ? "ModeratorGranted" : "ModeratorRevoked", data: grant ? { userId: user.id, grantedAt: world.now() } : { userId: user.id, revokedAt: world.now() }, actorId: "operator" }];
    } else if (roll < 0.9 && user.platformSub) {
      // A platform user's token brought a new profile (a new name, maybe the moderator role).
      yield [
        {
          streamId: stream,
          type: "PlatformProfileRecorded",
          data: { userId: user.id, sub: user.platformSub, name: `Platform ${user.username} ${random.int(1, 9)}`, roles: random.chance(0.1) ? ["member", "moderator"] : ["member"], recordedAt: world.now() },
          actorId: user.id,
        },
      ];
    } else {
      yield [{ streamId: stream, type: "PasswordRehashed", data: { userId: user.id, passwordHash: "scrypt$generated-2", rehashedAt: world.now() }, actorId: user.id }];
    }
  }
}

function* giveawayStory(world: World, index: number): Generator<Step> {
  const { random } = world;
  const giveawayId = random.uuid();
  const streamId = giveawayStream(giveawayId);
  let revision = -1;
  const one = (type: string, data: unknown, actorId: string): Step => {
    revision += 1;
    return [{ streamId, type, data, actorId }];
  };
  const giver = random.pick(world.users);
  const platform = random.chance(0.2);
  yield one(
    "GiveawayCreated",
    {
      giveawayId,
      giverId: giver.id,
      title: `${random.pick(titles)} #${index}`,
      // Absent: written before descriptions existed (the catalogue's default is "").
      description: random.chance(0.6) ? "Works fine, a bit scratched." : random.chance(0.5) ? "" : undefined,
      createdAt: world.now(),
      platformId: platform ? `pg-${index}` : undefined,
    },
    giver.id,
  );
  const entrants: string[] = [];
  const wanted = random.int(1, 6);
  for (let tries = 0; entrants.length < wanted && tries < 20; tries++) {
    const user = random.pick(world.users);
    if (user.id === giver.id || entrants.includes(user.id)) continue;
    entrants.push(user.id);
    yield one("EntrySubmitted", { userId: user.id, enteredAt: world.now() }, user.id);
  }
  if (platform && random.chance(0.3)) yield one("GiveawayDetailsChanged", { title: `Updated: ${random.pick(titles)}`, changedAt: world.now() }, giver.id);
  if (entrants.length > 1 && random.chance(0.15)) {
    const leaving = entrants.splice(random.int(0, entrants.length - 1), 1)[0]!;
    yield one("EntryWithdrawn", { userId: leaving, withdrawnAt: world.now() }, leaving);
  }
  if (entrants.length === 0 || random.chance(0.08)) return; // stays open
  let winner = random.pick(entrants);
  const drawnOut = new Set([winner]);
  yield one("DrawConducted", { winnerId: winner, drawnAt: world.now(), decidedBy: platform && random.chance(0.5) ? "platform" : undefined }, giver.id);

  const messages: { id: string; senderId: string; removed: boolean }[] = [];
  /** The newest emoji each user reacted with, by message and user. */
  const reactions = new Map<string, string>();
  const reports: string[] = [];
  const mutedBy = new Set<string>();
  const attachments: string[] = [];

  const send = function* (senderId: string, content?: string): Generator<Step> {
    const attachmentIds: string[] = [];
    if (random.chance(0.05)) {
      const attachmentId = random.uuid();
      attachments.push(attachmentId);
      attachmentIds.push(attachmentId);
      const sha256 = Array.from({ length: 8 }, () => random.next().toString(16).padStart(8, "0")).join("");
      yield one("AttachmentUploaded", { attachmentId, uploaderId: senderId, sha256, contentType: "image/jpeg", size: random.int(1000, 900_000), uploadedAt: world.now() }, senderId);
    }
    const replyTo = messages.length > 0 && random.chance(0.15) ? random.pick(messages).id : undefined;
    const messageId = random.uuid();
    messages.push({ id: messageId, senderId, removed: false });
    const phrase = content ?? `${random.pick(phrases)}${random.chance(0.3) ? ` (${random.int(1, 99)})` : ""}`;
    // Now and then untrimmed, as a client's text before the catalogue trimmed it on write.
    const text = random.chance(0.03) ? `  ${phrase}\n` : phrase;
    yield one("MessageSent", { messageId, senderId, content: text, sentAt: world.now(), replyTo, attachmentIds: attachmentIds.length > 0 ? attachmentIds : undefined }, senderId);
  };

  const chat = function* (length: number): Generator<Step> {
    for (let m = 0; m < length; m++) {
      const [me, other] = random.chance(0.5) ? [giver.id, winner] : [winner, giver.id];
      const roll = random.float();
      if (roll < 0.55) yield* send(me);
      else if (roll < 0.7) yield one("ConversationRead", { userId: me, upToRevision: revision, readAt: world.now() }, me);
      else if (roll < 0.78 && messages.length > 0) {
        const target = random.pick(messages);
        const key = `${target.id}|${me}`;
        const existing = reactions.get(key);
        if (existing && random.chance(0.5)) {
          reactions.delete(key);
          yield one("ReactionRemoved", { messageId: target.id, userId: me, emoji: existing, removedAt: world.now() }, me);
        } else {
          const emoji = random.pick(reactionEmoji);
          reactions.set(key, emoji);
          yield one("ReactionAdded", { messageId: target.id, userId: me, emoji, reactedAt: world.now() }, me);
        }
      } else if (roll < 0.84) {
        const target = messages.length > 0 ? random.pick(messages) : undefined;
        if (!target || target.senderId !== me || target.removed) continue; // one of their own, still shown
        if (random.chance(0.7)) yield one("MessageEdited", { messageId: target.id, editorId: me, content: `${random.pick(phrases)} (edited)`, editedAt: world.now() }, me);
        else {
          target.removed = true;
          yield one("MessageRetracted", { messageId: target.id, retractedBy: me, retractedAt: world.now() }, me);
        }
      } else if (roll < 0.87) {
        const muting = !mutedBy.has(me);
        if (muting) mutedBy.add(me);
        else mutedBy.delete(me);
        yield one(muting ? "ConversationMuted" : "ConversationUnmuted", muting ? { userId: me, mutedAt: world.now() } : { userId: me, unmutedAt: world.now() }, me);
      } else if (roll < 0.9 && platform) {
        yield one("SystemMessagePosted", { messageId: random.uuid(), content: "The platform updated this giveaway's pickup window.", postedAt: world.now() }, "platform");
      } else if (roll < 0.93 && messages.length > 0) {
        const target = random.pick(messages);
        const reportId = random.uuid();
        reports.push(reportId);
        yield one(
          "ReportFiled",
          { reportId, reporterId: me, reportedUserId: other, reason: random.pick(["spam", "scam", "harassment", "other"] as const), note: random.chance(0.5) ? "asks for money first" : undefined, messageId: random.chance(0.7) ? target.id : undefined, atRevision: revision, filedAt: world.now() },
          me,
        );
      } else if (roll < 0.96 && reports.length > 0) {
        const moderatorId = random.pick(world.moderators);
        const reportId = reports.shift()!;
        yield one("ConversationViewedByModerator", { moderatorId, reportId, viewedAt: world.now() }, moderatorId);
        if (random.chance(0.5) && messages.length > 0) {
          const target = random.pick(messages);
          target.removed = true;
          yield one("MessageHidden", { messageId: target.id, moderatorId, reason: "scam attempt", hiddenAt: world.now() }, moderatorId);
        } else yield one("ReportDismissed", { reportId, moderatorId, reason: "nothing against the rules", dismissedAt: world.now() }, moderatorId);
      } else yield* send(me);
    }
  };

  for (;;) {
    yield* chat(random.chance(0.2) ? random.int(40, 120) : random.int(2, 25));
    if (random.chance(0.05)) return; // the conversation just stops (a giveaway still drawn)
    // The pickup: proposals until one is accepted.
    let plan: string | undefined;
    for (let attempt = 0; attempt < 4 && !plan; attempt++) {
      const [proposer, answerer] = random.chance(0.5) ? [giver.id, winner] : [winner, giver.id];
      const proposalId = random.uuid();
      const from = world.nowMs() + random.int(2, 72) * 3600_000;
      yield one(
        "PickupProposed",
        { proposalId, proposedBy: proposer, from: new Date(from).toISOString(), to: new Date(from + 2 * 3600_000).toISOString(), place: random.pick(places), note: random.chance(0.5) ? "ring twice" : undefined, proposedAt: world.now() },
        proposer,
      );
      const answer = random.float();
      if (answer < 0.25) yield one("PickupProposalDeclined", { proposalId, declinedBy: answerer, declinedAt: world.now() }, answerer);
      else if (answer < 0.4) continue; // superseded by the next proposal
      else {
        plan = proposalId;
        yield one("PickupProposalAccepted", { proposalId, acceptedBy: answerer, acceptedAt: world.now() }, answerer);
      }
      if (random.chance(0.5)) yield* chat(random.int(1, 4));
    }
    if (plan && random.chance(0.6)) yield one("PickupReminderSent", { proposalId: plan, remindedAt: world.now() }, "scheduler");
    const ending = random.float();
    const remaining = entrants.filter((id) => !drawnOut.has(id));
    if (ending < 0.15 && remaining.length > 0) {
      // The winner declines, or does not show: the giver redraws among the others.
      const reason = random.chance(0.5) ? "declined" : platform && random.chance(0.3) ? "platform" : "no_show";
      if (reason === "declined") yield one("PrizeDeclined", { winnerId: winner, declinedAt: world.now() }, winner);
      const previousWinnerId = winner;
      winner = random.pick(remaining);
      drawnOut.add(winner);
      yield one("WinnerRedrawn", { winnerId: winner, previousWinnerId, reason, redrawnAt: world.now() }, giver.id);
      continue;
    }
    if (ending < 0.25) {
      const cancelledAt = world.nowMs();
      yield one(
        "GiveawayCancelled",
        { cancelledBy: giver.id, reason: random.chance(0.5) ? "moving away sooner than planned" : undefined, cancelledAt: new Date(cancelledAt).toISOString(), readOnlyFrom: new Date(cancelledAt + 24 * 3600_000).toISOString() },
        giver.id,
      );
      yield* chat(random.int(0, 3)); // last words
      return;
    }
    const sides: [string, "handed_over" | "received"][] = [
      [giver.id, "handed_over"],
      [winner, "received"],
    ];
    if (random.chance(0.5)) sides.reverse();
    for (const [userId, side] of sides) yield one("HandoverConfirmed", { userId, side, confirmedAt: world.now() }, userId);
    const completedAt = world.nowMs();
    yield one("GiveawayCompleted", { completedAt: new Date(completedAt).toISOString(), readOnlyFrom: new Date(completedAt + 24 * 3600_000).toISOString() }, giver.id);
    yield* chat(random.int(0, 3));
    for (const [rater, ratee] of [
      [winner, giver.id],
      [giver.id, winner],
    ] as const) {
      if (!random.chance(0.7)) continue;
      const rate = () => one("HandoverRated", { raterId: rater, rateeId: ratee, stars: random.int(1, 5), comment: random.chance(0.6) ? "Smooth pickup, thanks!" : undefined, ratedAt: world.now() }, rater);
      yield rate();
      if (random.chance(0.2)) yield rate(); // changed their mind
    }
    return;
  }
}

// ---- the scheduler ----

/** The log, in order: the same for the same options. */
export function* generateEvents(options: GeneratorOptions): Generator<GeneratedEvent> {
  const random = new Random(options.seed ?? 20251204);
  let clock = Date.parse("2025-03-01T08:00:00.000Z");
  const world: World = {
    random,
    users: [],
    moderators: [],
    now: () => new Date(clock).toISOString(),
    nowMs: () => clock,
  };
  const revisions = new Map<string, number>();
  const lastHash = new Map<string, string>();
  const users = userActivity(world);
  const stories: Generator<Step>[] = [];
  let storiesStarted = 0;
  let emitted = 0;

  const toEvent = (entry: Step[number]): GeneratedEvent => {
    const revision = (revisions.get(entry.streamId) ?? -1) + 1;
    revisions.set(entry.streamId, revision);
    const giveaway = entry.streamId.startsWith(giveawayStreamPrefix);
    // Checked as the store's readers will check it, and written as given: some events are as an
    // older version wrote them (without a field added since, text not yet trimmed), which every
    // reader must take as the catalogue reads them (defaults, trims).
    const event = giveaway ? parseGiveawayEvent(entry.type, entry.data) : parseUserEvent(entry.type, entry.data);
    const id = event.type === "MessageSent" ? event.data.messageId : random.uuid();
    const correlationId = random.uuid();
    const context = { actorId: entry.actorId, correlationId, causationId: correlationId };
    let metadata: Record<string, string> = context;
    if (giveaway && options.chain) {
      const prevHash = lastHash.get(entry.streamId) ?? genesisHash;
      const hash = chainHash({ prevHash, streamId: entry.streamId, revision: String(revision), id, type: entry.type, data: entry.data, ...context });
      lastHash.set(entry.streamId, hash);
      metadata = { ...context, prevHash, hash };
    }
    return { streamId: entry.streamId, revision, event: { id, type: entry.type, data: entry.data, metadata } };
  };

  // Registrations first (there must be someone to give and win), then everything at once.
  for (let i = 0; i < 304 && emitted < options.events; i++) {
    for (const entry of users.next().value as Step) {
      if (emitted >= options.events) break;
      clock += random.int(1, 30) * 1000;
      emitted += 1;
      yield toEvent(entry);
    }
  }
  while (emitted < options.events) {
    while (stories.length < 60) stories.push(giveawayStory(world, storiesStarted++));
    const steps: Step[] = [];
    if (random.chance(0.06)) steps.push(users.next().value as Step);
    else {
      // A few steps of one story in a row (a burst of messages, a proposal and its answer), as
      // conversations come: a commit then holds runs of a stream, not one event per append.
      const at = random.int(0, stories.length - 1);
      for (let burst = random.int(1, 8); burst > 0; burst--) {
        const next = stories[at]!.next();
        if (next.done) {
          stories.splice(at, 1);
          break;
        }
        steps.push(next.value);
      }
    }
    for (const entry of steps.flat()) {
      if (emitted >= options.events) break; // the log may end inside a decision, as a crash would leave it
      clock += random.int(1, 90) * 1000;
      emitted += 1;
      yield toEvent(entry);
    }
  }
}

/** Every event type the catalogue knows, to see which of them a generated log holds. */
export const catalogueTypes = [...giveawayCatalogue.types, ...userCatalogue.types];

/**
 * Writes the generated log into `store` in commits of 1 to `maxCommit` events (the size drawn from the
 * seed), each commit one group of appends (one per run of events of the same stream), awaited before
 * the next, as a busy server's group commits come. `afterCommit` runs between commits.
 */
export async function writeGeneratedStore(
  store: EventStore,
  options: GeneratorOptions & { maxCommit?: number; afterCommit?: (written: number) => void | Promise<void> },
): Promise<GeneratedStoreSummary> {
  const sizes = new Random((options.seed ?? 20251204) ^ 0x5bd1e995);
  const maxCommit = options.maxCommit ?? 2000;
  const byType: Record<string, number> = {};
  let events = 0;
  let projectedEvents = 0;
  let lastProjectedPosition = 0n;
  let commits = 0;
  let group: GeneratedEvent[] = [];
  let groupSize = sizes.int(1, maxCommit);

  const commit = async () => {
    const runs: GeneratedEvent[][] = [];
    for (const event of group) {
      const last = runs[runs.length - 1];
      if (last && last[last.length - 1]!.streamId === event.streamId) last.push(event);
      else runs.push([event]);
    }
    // Issued in one turn: the embedded store commits them in one transaction, in this order.
    const results = await Promise.all(
      runs.map((run) =>
        store.appendToStream(
          run[0]!.streamId,
          run.map((each) => each.event),
          { expectedRevision: run[0]!.revision === 0 ? "no_stream" : BigInt(run[0]!.revision - 1) },
        ),
      ),
    );
    runs.forEach((run, index) => {
      const streamId = run[0]!.streamId;
      if (streamId.startsWith(giveawayStreamPrefix) || streamId.startsWith(userStreamPrefix)) {
        projectedEvents += run.length;
        if (results[index]!.position > lastProjectedPosition) lastProjectedPosition = results[index]!.position;
      }
    });
    commits += 1;
    group = [];
    groupSize = sizes.int(1, maxCommit);
    await options.afterCommit?.(events);
  };

  for (const generated of generateEvents(options)) {
    group.push(generated);
    events += 1;
    byType[generated.event.type] = (byType[generated.event.type] ?? 0) + 1;
    if (group.length >= groupSize) await commit();
  }
  if (group.length > 0) await commit();
  return { events, projectedEvents, lastProjectedPosition, byType, commits };
}

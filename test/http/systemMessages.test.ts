// A system message (SystemMessagePosted, posted by the platform's backend) everywhere a message
// shows: the JSON API, the API stream (live and resumed), the chat page and its HTML stream, the
// inbox, the audit (events, page, replay, verify) and a rebuild; after a redraw, each round's
// readers see its own notices only.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayConversation } from "../../src/audit/conversationReplay.ts";
import { storeUserNames } from "../../src/audit/userNames.ts";
import type { AuditEvent } from "../../src/audit/auditEvent.ts";
import type { InboxEntry } from "../../src/projections/inboxProjection.ts";
import { dumpReadModels, projected, runCliCommand } from "../audit/auditFixtures.ts";
import { connectSse, type SseConnection, type SseFrame } from "../support/sseClient.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { send, type SignedInUser } from "./apiFixtures.ts";
import { drawnAmong } from "./pickupFixtures.ts";

const notice = "The giver marked this item as reserved for you";
const laterNotice = "Pickup reminder: bring a bag";

let dir: ReturnType<typeof makeTempDir>;
let server: TestServer;
let giveawayId: string;
let giver: SignedInUser;
let winner: SignedInUser;
let nextWinner: SignedInUser;
let hello: { id: string; revision: number };
let posted: { messageId: string; revision: number };
let apiLive: SseConnection;
let pageLive: SseConnection;

/** The platform's post, through the command handler as its route makes it. */
async function postSystemMessage(content: string, messageId = server.handoff.newId()) {
  const { handoff } = server;
  const context = { actorId: handoff.newId(), correlationId: handoff.newId(), causationId: handoff.newId() };
  const result = await handoff.commands(giveawayId, { type: "PostSystemMessage", messageId, content, now: new Date() }, context);
  if (!result.ok) throw new Error(`PostSystemMessage refused: ${result.error.message}`);
  const revision = Number(result.revision);
  await projected(handoff, giveawayId, revision);
  return { messageId, revision };
}

const api = (path: string) => `/api/giveaways/${giveawayId}${path}`;
const cookieOf = (user: SignedInUser) => ({ Cookie: `handoff_session=${user.token}` });
async function messagesOf(user: SignedInUser) {
  const answer = await request(server.url).get(api("/messages")).set(user.auth);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.messages as { id: string; content: string; senderId: string | null; senderName: string | null; kind: string }[];
}
async function inboxRow(user: SignedInUser) {
  const answer = await request(server.url).get("/api/inbox").set(user.auth);
  expect(answer.status).toBe(200);
  return (answer.body.conversations as InboxEntry[]).find((row) => row.giveawayId === giveawayId);
}
async function framesUntil(stream: SseConnection, matches: (frame: SseFrame) => boolean): Promise<SseFrame> {
  await expect.poll(() => stream.events.some(matches), { timeout: 10_000 }).toBe(true);
  return stream.events.find(matches)!;
}
async function auditEvents(user: SignedInUser): Promise<AuditEvent[]> {
  const answer = await request(server.url).get(api("/events")).set(user.auth);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.events as AuditEvent[];
}
const noticesIn = (events: AuditEvent[]) => events.filter((e) => e.type === "SystemMessagePosted").map((e) => (e.data as { content: string }).content);
/** The chat page's element for one message, by revision. */
function messageElement(html: string, revision: number): string {
  const start = html.indexOf(`id="msg-${revision}"`);
  expect(start, `msg-${revision} in the page`).toBeGreaterThan(-1);
  const open = html.lastIndexOf("<div", start);
  const next = html.indexOf('<div class="message ', start);
  return html.slice(open, next === -1 ? undefined : next);
}

beforeAll(async () => {
  dir = makeTempDir("system-messages");
  server = await startTestServer({ dataDir: dir.path, overrides: { pick: () => 0 } });
  const drawn = await drawnAmong(server, 2);
  ({ giveawayId, giver } = drawn);
  [winner, nextWinner] = drawn.entrants as [SignedInUser, SignedInUser];
  apiLive = await connectSse(`${server.url}${api("/stream")}`, winner.auth);
  pageLive = await connectSse(`${server.url}/messages/${giveawayId}/stream`, cookieOf(winner));
  hello = await send(server, giver, giveawayId, "Hello, it is yours!");
  posted = await postSystemMessage(notice);
});

afterAll(async () => {
  apiLive?.close();
  pageLive?.close();
  await server?.stop();
  dir?.remove();
});

describe("a system message", () => {
  it("is in the JSON API with no sender and kind system; a participant's message is kind user", async () => {
    for (const user of [giver, winner]) {
      const messages = await messagesOf(user);
      expect(messages.map((m) => [m.content, m.kind, m.senderId, m.senderName])).toEqual([
        ["Hello, it is yours!", "user", giver.id, giver.username],
        [notice, "system", null, null],
      ]);
    }
    // Nobody's to change: neither participant may edit or remove it.
    for (const user of [giver, winner]) {
      const edit = await request(server.url).patch(api(`/messages/${posted.messageId}`)).set(user.auth).send({ content: "mine now" });
      expect([edit.status, edit.body.error?.code]).toEqual([403, "not_sender"]);
    }
  });

  it("comes live on the API stream as event: message with id = revision", async () => {
    const frame = await framesUntil(apiLive, (f) => f.event === "message" && JSON.parse(f.data).kind === "system");
    expect(Number(frame.id)).toBe(posted.revision);
    expect(JSON.parse(frame.data)).toMatchObject({ id: posted.messageId, content: notice, senderId: null, senderName: null, kind: "system" });
  });

  it("comes again on a resumed API stream (history), the same frame", async () => {
    const resumed = await connectSse(`${server.url}${api("/stream")}`, { ...giver.auth, "Last-Event-ID": String(hello.revision) });
    try {
      const frame = await framesUntil(resumed, (f) => f.event === "message");
      expect(Number(frame.id)).toBe(posted.revision);
      expect(JSON.parse(frame.data)).toMatchObject({ content: notice, senderId: null, kind: "system" });
    } finally {
      resumed.close();
    }
  });

  it("shows on the chat page as a notice without sender or actions", async () => {
    const page = await request(server.url).get(`/messages/${giveawayId}`).set(cookieOf(winner));
    expect(page.status).toBe(200);
    const element = messageElement(page.text, posted.revision);
    expect(element).toContain('class="message system"');
    expect(element).toContain(notice);
    expect(element).not.toMatch(/reply-link|retract-form|class="reactions"|data-sender-id|class="sender"/);
    // The participant's message keeps its actions: the page did not lose them all.
    expect(messageElement(page.text, hello.revision)).toContain("reply-link");
  });

  it("comes live on the chat page's HTML stream as the same notice", async () => {
    const frame = await framesUntil(pageLive, (f) => f.id === String(posted.revision));
    expect(frame.data).toContain('class="message system"');
    expect(frame.data).toContain(notice);
    expect(frame.data).not.toContain("reply-link");
  });

  it("is unread for both participants and the inbox's last message; read marks count it", async () => {
    const giverRow = await inboxRow(giver);
    expect(giverRow).toMatchObject({ lastMessagePreview: notice, lastMessageSenderId: null, lastMessageRevision: posted.revision, unreadCount: 1 });
    expect(await inboxRow(winner)).toMatchObject({ lastMessagePreview: notice, lastMessageSenderId: null, unreadCount: 2 });
    // Read up to the giver's message: the notice after it is still unread.
    await request(server.url).post(api("/read")).set(winner.auth).send({ revision: hello.revision }).expect(204);
    await expect.poll(async () => (await inboxRow(winner))?.lastReadRevision).toBe(hello.revision);
    expect((await inboxRow(winner))?.unreadCount).toBe(1);
    await request(server.url).post(api("/read")).set(winner.auth).send({ revision: posted.revision }).expect(204);
    await expect.poll(async () => (await inboxRow(winner))?.unreadCount).toBe(0);
  });

  it("posted again with the same id is stored once", async () => {
    const again = await server.handoff.commands(
      giveawayId,
      { type: "PostSystemMessage", messageId: posted.messageId, content: notice, now: new Date() },
      { actorId: server.handoff.newId(), correlationId: server.handoff.newId(), causationId: server.handoff.newId() },
    );
    expect(again.ok).toBe(true);
    expect((await messagesOf(giver)).filter((m) => m.kind === "system")).toHaveLength(1);
  });

  it("is a line of the audit: the events API, the page, and a replay equal to the read model", async () => {
    for (const user of [giver, winner]) expect(noticesIn(await auditEvents(user))).toEqual([notice]);
    const page = await request(server.url).get(`/giveaways/${giveawayId}/audit`).set(cookieOf(winner));
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<span class="who">system message<\/span>\s*<span class="content">The giver marked this item as reserved for you<\/span>/);
    const replayed = await replayConversation(server.handoff.store, giveawayId, undefined, storeUserNames(server.handoff.store), "operator");
    expect(replayed.messages).toEqual(server.handoff.queries.messagesAfter(giveawayId, -1));
  });
});

describe("system messages and a redraw", () => {
  let later: { messageId: string; revision: number };
  beforeAll(async () => {
    await request(server.url).post(api("/decline")).set(winner.auth).expect(200);
    const redrawn = await request(server.url).post(api("/redraw")).set(giver.auth);
    expect(redrawn.body.winnerId).toBe(nextWinner.id);
    later = await postSystemMessage(laterNotice);
  });

  it("each winner reads the notices of their own round, the giver all", async () => {
    const notices = async (user: SignedInUser) => (await messagesOf(user)).filter((m) => m.kind === "system").map((m) => m.content);
    expect(await notices(giver)).toEqual([notice, laterNotice]);
    expect(await notices(winner)).toEqual([notice]);
    expect(await notices(nextWinner)).toEqual([laterNotice]);
    expect(noticesIn(await auditEvents(giver))).toEqual([notice, laterNotice]);
    expect(noticesIn(await auditEvents(winner))).toEqual([notice]);
    expect(noticesIn(await auditEvents(nextWinner))).toEqual([laterNotice]);
  });

  it("counts unread for the new winner and the giver, not the former winner", async () => {
    expect(await inboxRow(nextWinner)).toMatchObject({ lastMessagePreview: laterNotice, unreadCount: 1 });
    expect(await inboxRow(giver)).toMatchObject({ lastMessagePreview: laterNotice, lastMessageRevision: later.revision });
    expect(await inboxRow(winner)).toMatchObject({ lastMessagePreview: notice, unreadCount: 0 });
  });
});

describe("the command line over a store with system messages", () => {
  it("npm run replay prints them, npm run verify verifies the chain, npm run rebuild equals the live read models", async () => {
    await server.stop();
    const live = dumpReadModels(dir.path);
    const env = { DATA_DIR: dir.path };
    const replay = await runCliCommand("replay", [giveawayId], env);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain(`system message: ${notice}`);
    expect(replay.stdout).toContain(`system message: ${laterNotice}`);
    const verify = await runCliCommand("verify", [giveawayId], env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const rebuild = await runCliCommand("rebuild", [], env);
    expect(rebuild.code, rebuild.stderr).toBe(0);
    const rebuilt = dumpReadModels(dir.path);
    expect(rebuilt.messages).toEqual(live.messages);
    expect(rebuilt.inbox).toEqual(live.inbox);
    expect(rebuilt.timeline).toEqual(live.timeline);
    expect(live.messages!.some((row) => row.includes(laterNotice))).toBe(true);
  });
});

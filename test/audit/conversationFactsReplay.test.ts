// Reactions, edits, retractions, replies and attachments in the audit: replay at every revision
// equals what the read models showed then, and every version of an edited message is a line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayConversation } from "../../src/audit/conversationReplay.ts";
import { storeUserNames } from "../../src/audit/userNames.ts";
import type { MessageView } from "../../src/projections/conversationProjection.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, projected, registerUser, run, runCliCommand } from "./auditFixtures.ts";

let server: TestServer;
let giveawayId: string;
const shown: { revision: number; messages: MessageView[] }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const { handoff } = server;
  const giver = await registerUser(handoff, "gail");
  const winner = await registerUser(handoff, "wes");
  giveawayId = await drawnGiveaway(handoff, giver, winner);
  const first = handoff.newId();
  const second = handoff.newId();
  const attachmentId = handoff.newId();
  const editWindowMs = 60_000;
  const steps: [string, Parameters<typeof run>[3]][] = [
    [giver.id, { type: "SendMessage", messageId: first, senderId: giver.id, content: "Address: 1 Main St", now: new Date() }],
    [winner.id, { type: "ReactToMessage", messageId: first, userId: winner.id, emoji: "👍", reacted: true, now: new Date() }],
    [giver.id, { type: "ReactToMessage", messageId: first, userId: giver.id, emoji: "❤️", reacted: true, now: new Date() }],
    [giver.id, { type: "EditMessage", messageId: first, userId: giver.id, content: "Address: 2 Main St", now: new Date(), editWindowMs }],
    [winner.id, { type: "UploadAttachment", attachmentId, uploaderId: winner.id, sha256: "b".repeat(64), contentType: "image/png", size: 10, now: new Date() }],
    [winner.id, { type: "SendMessage", messageId: second, senderId: winner.id, content: "Here?", replyTo: first, attachmentIds: [attachmentId], now: new Date() }],
    [winner.id, { type: "ReactToMessage", messageId: first, userId: winner.id, emoji: "👍", reacted: false, now: new Date() }],
    [giver.id, { type: "RetractMessage", messageId: first, userId: giver.id, now: new Date(), editWindowMs }],
  ];
  for (const [actor, command] of steps) {
    const revision = await run(handoff, giveawayId, actor, command);
    await projected(handoff, giveawayId, revision);
    shown.push({ revision, messages: handoff.queries.messagesAfter(giveawayId, -1) });
  }
});

afterAll(() => server?.close());

describe("audit replay of the conversation's later facts", () => {
  it("the read models changed at each step (the comparison has something to compare)", () => {
    expect(new Set(shown.map((s) => JSON.stringify(s.messages))).size).toBe(shown.length - 1); // the upload alone shows nothing
  });

  it("replay at each revision equals what the read models showed", async () => {
    const names = storeUserNames(server.handoff.store);
    for (const moment of shown) {
      const replayed = await replayConversation(server.handoff.store, giveawayId, { kind: "revision", revision: BigInt(moment.revision) }, names, "operator");
      expect(replayed.messages).toEqual(moment.messages);
    }
  });

  it("keeps every version: the first text, the edit, and the removal are lines", async () => {
    const replayed = await replayConversation(server.handoff.store, giveawayId, undefined, storeUserNames(server.handoff.store), "operator");
    const texts = replayed.lines.flatMap((line) => ("content" in line.detail ? [line.detail.content] : []));
    expect(texts).toEqual(["Address: 1 Main St", "Address: 2 Main St", "Here?"]);
    expect(replayed.lines.map((line) => line.detail.type)).toContain("MessageRetracted");
    expect(replayed.messages[0]).toMatchObject({ content: "", retractedAt: expect.any(String) });
  });

  it("npm run replay prints each version", async () => {
    const result = await runCliCommand("replay", [giveawayId], { DATA_DIR: server.dataDir });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.map((line) => line.replace(/^\[[^\]]+\] /, ""))).toEqual([
      "-- from revision 2: giver gail, winner wes",
      "gail: Address: 1 Main St",
      "gail: (edited) Address: 2 Main St",
      "wes: Here?",
      "gail: (message removed)",
    ]);
  });
});

// Replaying a giveaway's stream at a revision or a time gives back exactly the conversation the
// read models showed at that moment: in process, through the CLI, and through the events API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayConversation } from "../../src/audit/conversationReplay.ts";
import { storeUserNames } from "../../src/audit/userNames.ts";
import type { MessageView } from "../../src/projections/conversationProjection.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { conversationWithMoments, drawnGiveaway, runCliCommand, send, type Conversation } from "./auditFixtures.ts";

let server: TestServer;
let conversation: Conversation;

beforeAll(async () => {
  server = await startTestServer();
  conversation = await conversationWithMoments(server.handoff, { giver: "gina", winner: "walt", loser: "lou" });
});

afterAll(async () => {
  await server?.close();
});

describe("replay at a point equals what the read models showed then", () => {
  it("captured moments with growing conversations (the comparison has something to compare)", () => {
    expect(conversation.moments.map((m) => m.messages.length)).toEqual([0, 1, 3, 4]);
  });

  it("by revision", async () => {
    const names = storeUserNames(server.handoff.store);
    for (const moment of conversation.moments) {
      const replayed = await replayConversation(server.handoff.store, conversation.giveawayId, { kind: "revision", revision: BigInt(moment.revision) }, names, "operator");
      expect(replayed.revision).toBe(moment.revision);
      expect(replayed.messages).toEqual(moment.messages);
    }
  });

  it("by time", async () => {
    const names = storeUserNames(server.handoff.store);
    for (const moment of conversation.moments) {
      const replayed = await replayConversation(server.handoff.store, conversation.giveawayId, { kind: "time", at: moment.time }, names, "operator");
      expect(replayed.revision).toBe(moment.revision);
      expect(replayed.messages).toEqual(moment.messages);
    }
  });

  it("a millisecond before a moment, the event recorded then is not there yet", async () => {
    const moment = conversation.moments[1]!;
    const before = new Date(moment.time.getTime() - 1);
    const replayed = await replayConversation(server.handoff.store, conversation.giveawayId, { kind: "time", at: before }, storeUserNames(server.handoff.store), "operator");
    expect(replayed.revision).toBe(moment.revision - 1);
    expect(replayed.messages).toEqual(conversation.moments[0]!.messages);
  });

  it("without a cut, replay equals the read models now, and every event is a line", async () => {
    const replayed = await replayConversation(server.handoff.store, conversation.giveawayId, undefined, storeUserNames(server.handoff.store), "operator");
    expect(replayed.messages).toEqual(server.handoff.queries.messagesAfter(conversation.giveawayId, -1));
    expect(replayed.lines.map((line) => line.detail.type)).toEqual([
      "GiveawayCreated",
      "EntrySubmitted",
      "EntrySubmitted",
      "DrawConducted",
      "MessageSent",
      "ConversationRead",
      "MessageSent",
      "MessageSent",
      "MessageSent",
      "ConversationRead",
    ]);
  });
});

describe("npm run replay", () => {
  const env = () => ({ DATA_DIR: server.dataDir });

  it("--json prints the messages at a revision and at a time as JSON lines", async () => {
    for (const moment of conversation.moments.slice(1)) {
      for (const until of [String(moment.revision), moment.time.toISOString()]) {
        const result = await runCliCommand("replay", [conversation.giveawayId, "--until", until, "--json"], env());
        expect(result.code, result.stderr).toBe(0);
        const printed = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as MessageView | { readers: unknown });
        // The readers come first (from the draw), then the messages.
        expect(printed[0]).toEqual({ fromRevision: 3, readers: [expect.objectContaining({ role: "giver", username: "gina" }), expect.objectContaining({ role: "winner", username: "walt" })] });
        expect(printed.slice(1)).toEqual(moment.messages);
      }
    }
  }, 120_000); // six runs of the command, each a fresh node process

  it("prints [time] name: content", async () => {
    const result = await runCliCommand("replay", [conversation.giveawayId], env());
    expect(result.code, result.stderr).toBe(0);
    const last = conversation.moments.at(-1)!.messages;
    const [readers, ...lines] = result.stdout.trimEnd().split("\n");
    expect(readers).toBe("-- from revision 3: giver gina, winner walt");
    expect(lines[0]).toBe(`[${last[0]!.sentAt}] gina: Congratulations! When can you pick it up?`);
    // A line break inside a message continues on an indented line.
    expect(lines[1]).toBe(`[${last[1]!.sentAt}] walt: Thanks! Saturday at 10?`);
    expect(lines[2]).toBe("    I can bring a friend.");
    expect(lines.at(-1)).toBe(`[${last[3]!.sentAt}] gina: Saturday works.`);
  });

  it("shows a message's control characters as text, so it cannot drive the terminal", async () => {
    const { handoff } = server;
    const giveawayId = await drawnGiveaway(handoff, conversation.giver, conversation.winner);
    await send(handoff, giveawayId, conversation.winner, "see \u001b[2J\u001b]0;owned\u0007 this");
    const result = await runCliCommand("replay", [giveawayId], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("walt: see \\u001b[2J\\u001b]0;owned\\u0007 this");
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it("shows progress on stderr when asked for every event", async () => {
    const result = await runCliCommand("replay", [conversation.giveawayId], { ...env(), PROGRESS_EVERY: "2" });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/replay: 2 events/);
    expect(result.stderr).toMatch(/replay: 10 events/);
  });

  it("refuses an unknown giveaway, a bad --until and a missing id", async () => {
    const unknown = await runCliCommand("replay", ["0b6f4c1e-8a52-4f0e-9a3d-2b7c1d9e4f01"], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no giveaway 0b6f4c1e-8a52-4f0e-9a3d-2b7c1d9e4f01/);
    const badUntil = await runCliCommand("replay", [conversation.giveawayId, "--until", "yesterday"], env());
    expect(badUntil.code).toBe(2);
    expect(badUntil.stderr).toMatch(/--until/);
    const noId = await runCliCommand("replay", [], env());
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/usage/);
  });

  it("says so when DATA_DIR holds no store, rather than creating one", async () => {
    const result = await runCliCommand("replay", [conversation.giveawayId], { DATA_DIR: `${server.dataDir}/nothing-here` });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no event store at/);
  });
});

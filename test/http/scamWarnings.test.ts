// Scam warnings over HTTP: the recipient's copy of a message (JSON, API stream, chat page) carries
// the warning, the sender's never does; SCAM_PATTERNS_FILE extends the list at start, and old
// messages are matched again; a bad file stops the start.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../src/config.ts";
import { connectSse, messagesIn } from "../support/sseClient.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { startTestServer, testConfig, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, send, type Conversation, type SignedInUser } from "./apiFixtures.ts";
import { pageUser } from "../pages/pageSession.ts";

let server: TestServer;
let chat: Conversation;
const scam = "You won! pay 5 EUR delivery fee first";

beforeAll(async () => {
  server = await startTestServer();
  chat = await drawnGiveaway(server);
  await send(server, chat.winner, chat.giveawayId, scam);
  await send(server, chat.winner, chat.giveawayId, "I'll pay you a visit at 6");
});
afterAll(() => server.close());

const messagesOf = async (reader: SignedInUser) => {
  const answer = await request(server.url).get(`/api/giveaways/${chat.giveawayId}/messages?after=-1`).set(reader.auth);
  expect(answer.status).toBe(200);
  return answer.body.messages as Record<string, unknown>[];
};
const asPage = (user: SignedInUser) => pageUser(server, user.username, `handoff_session=${user.token}`);

describe("the API's messages", () => {
  it("the recipient's copy carries the warning (or null), the sender's says null: they are not told", async () => {
    const [giverView, winnerView] = await Promise.all([messagesOf(chat.giver), messagesOf(chat.winner)]);
    expect(giverView.map((message) => [message.content, message.warning])).toEqual([[scam, "delivery_fee"], ["I'll pay you a visit at 6", null]]);
    for (const message of winnerView) expect(message.warning).toBeNull();
  });

  it("the sender's answer to the send warns of nothing either", async () => {
    const sent = await request(server.url).post(`/api/giveaways/${chat.giveawayId}/messages`).set(chat.winner.auth).send({ content: "send me your bank details" });
    expect(sent.status).toBe(201);
    expect(sent.body.warning).toBeNull();
  });

  it("the conversation stream's message frames: the recipient's with the warning, the sender's with null", async () => {
    const url = `${server.url}/api/giveaways/${chat.giveawayId}/stream?after=-1`;
    const [giverStream, winnerStream] = await Promise.all([connectSse(url, chat.giver.auth), connectSse(url, chat.winner.auth)]);
    try {
      await vi.waitFor(() => expect(messagesIn(giverStream.events).length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
      await vi.waitFor(() => expect(messagesIn(winnerStream.events).length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
      const giverFirst = messagesIn(giverStream.events)[0] as unknown as Record<string, unknown>;
      const winnerFirst = messagesIn(winnerStream.events)[0] as unknown as Record<string, unknown>;
      expect(giverFirst).toMatchObject({ content: scam, warning: "delivery_fee" });
      expect(winnerFirst.content).toBe(scam);
      expect(winnerFirst.warning).toBeNull();
      expect(winnerStream.text()).not.toContain("delivery_fee");
    } finally {
      giverStream.close();
      winnerStream.close();
    }
  });
});

describe("the chat page", () => {
  it("shows the recipient a calm warning with a link to report that message; the sender's page has none", async () => {
    const giverPage = await asPage(chat.giver).get(`/messages/${chat.giveawayId}`);
    const winnerPage = await asPage(chat.winner).get(`/messages/${chat.giveawayId}`);
    expect(giverPage.status).toBe(200);
    expect(winnerPage.status).toBe(200);
    const shown = await messagesOf(chat.giver);
    const first = shown[0];
    expect(giverPage.text).toContain("handoff giveaways are free: never pay to receive an item");
    expect(giverPage.text).toContain(`class="scam-report-link" href="/messages/${chat.giveawayId}/report?messageId=${first!.id}"`);
    // One warning per flagged message, none under "I'll pay you a visit at 6".
    const flagged = shown.filter((message) => message.warning !== null);
    expect(flagged.length).toBeLessThan(shown.length);
    expect(giverPage.text.match(/class="scam-warning"/g)).toHaveLength(flagged.length);
    expect(winnerPage.text).not.toContain("scam-warning");
    expect(winnerPage.text).not.toContain("never pay to receive");
  });

  it("the chat's HTML stream renders the warning into the recipient's frames only", async () => {
    const url = `${server.url}/messages/${chat.giveawayId}/stream?after=-1`;
    const cookie = (user: SignedInUser) => ({ Cookie: `handoff_session=${user.token}` });
    const [giverStream, winnerStream] = await Promise.all([connectSse(url, cookie(chat.giver)), connectSse(url, cookie(chat.winner))]);
    try {
      const scamFrame = (frames: readonly { data: string }[]) => frames.find((frame) => frame.data.includes("delivery fee first"));
      await vi.waitFor(() => expect(scamFrame(giverStream.events)).toBeDefined(), { timeout: 10_000 });
      await vi.waitFor(() => expect(scamFrame(winnerStream.events)).toBeDefined(), { timeout: 10_000 });
      expect(scamFrame(giverStream.events)!.data).toContain('class="scam-warning" role="note" data-warning="delivery_fee"');
      expect(scamFrame(winnerStream.events)!.data).not.toContain("scam-warning");
    } finally {
      giverStream.close();
      winnerStream.close();
    }
  });

  it("shows both a safety tip for meeting in person at the top of the conversation", async () => {
    for (const user of [chat.giver, chat.winner]) {
      const page = await asPage(user).get(`/messages/${chat.giveawayId}`);
      expect(page.text).toContain('id="safety-tip"');
      expect(page.text).toMatch(/public place[\s\S]*never pay/);
      // The API carries the same words, for clients that draw their own chat.
      const answer = await request(server.url).get(`/api/giveaways/${chat.giveawayId}/messages`).set(user.auth);
      expect(answer.status).toBe(200);
      expect(answer.body.safetyTip).toMatch(/^Meeting in person\? .*public place.*never pay/);
    }
  });
});

describe("SCAM_PATTERNS_FILE", () => {
  it("adds the operator's patterns at start, and they apply to messages sent before", async () => {
    const dir = makeTempDir("scam-patterns");
    const own = await startTestServer();
    try {
      const conversation = await drawnGiveaway(own);
      await send(own, conversation.winner, conversation.giveawayId, "Nur gegen Vorkasse, danke");
      const read = async (srv: TestServer) => {
        const answer = await request(srv.url).get(`/api/giveaways/${conversation.giveawayId}/messages?after=-1`).set(conversation.giver.auth);
        expect(answer.status).toBe(200);
        return answer.body.messages[0].warning as unknown;
      };
      expect(await read(own)).toBeNull();
      await own.stop();

      const file = join(dir.path, "patterns.json");
      writeFileSync(file, JSON.stringify([{ pattern: "\\bvorkasse\\b", language: "de" }]));
      const restarted = await startTestServer({ dataDir: own.dataDir, env: { SCAM_PATTERNS_FILE: file } });
      try {
        await vi.waitFor(async () => expect(await read(restarted)).toBe("payment_request"), { timeout: 10_000 });
      } finally {
        await restarted.stop();
      }
    } finally {
      await own.close().catch(() => {});
      dir.remove();
    }
  });

  it("a bad file stops the start, naming the variable and the problem", () => {
    const dir = makeTempDir("scam-patterns-bad");
    try {
      const write = (name: string, text: string) => {
        const file = join(dir.path, name);
        writeFileSync(file, text);
        return file;
      };
      const problem = (file: string) => {
        try {
          testConfig(dir.path, { SCAM_PATTERNS_FILE: file });
          return "";
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          return (error as Error).message;
        }
      };
      expect(problem(join(dir.path, "missing.json"))).toMatch(/SCAM_PATTERNS_FILE: cannot read .*missing\.json: ENOENT/);
      expect(problem(write("not.json", "[{"))).toMatch(/SCAM_PATTERNS_FILE: .*not JSON/);
      expect(problem(write("object.json", '{"pattern":"x"}'))).toMatch(/SCAM_PATTERNS_FILE: .*array/);
      expect(problem(write("regex.json", '[{"pattern":"(oops"}]'))).toMatch(/SCAM_PATTERNS_FILE: .*pattern 0 is not a valid regular expression/);
      expect(problem(write("slow.json", '[{"pattern":"(a+)+$"}]'))).toMatch(/SCAM_PATTERNS_FILE: .*take forever/);
    } finally {
      dir.remove();
    }
  });
});

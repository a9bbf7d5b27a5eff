// The abuse limits on the pages: a readable 429 with Retry-After, and nothing typed is lost (the
// sign-in name, the giveaway's title, the unsent message in the no-JS chat and in the form the
// script reads its "Not sent" reason from).
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectSse } from "../support/sseClient.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, inputValue, registerUser, sendByForm, type PageUser } from "./pageSession.ts";

/** The hidden message id of the chat's send form (the pickup panel has an `id` field too). */
function messageFormId(html: string): string {
  const match = /<form id="message-form"[\s\S]*?name="id" value="([^"]*)"/.exec(html);
  if (!match) throw new Error("no message form");
  return match[1]!;
}

function expectReadable429(response: request.Response, sentence: RegExp): void {
  expect(response.status).toBe(429);
  expect(response.headers["content-type"]).toMatch(/^text\/html/);
  expect(response.text).toMatch(sentence);
  expect(response.text).not.toMatch(/rate_limited|"error"/);
  expect(Number(response.headers["retry-after"])).toBeGreaterThanOrEqual(1);
}

describe("signing in and registering", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMITS: "on", RATE_LIMIT_SIGNIN_PER_IP: "2/60", RATE_LIMIT_REGISTER_PER_IP: "1/3600" } });
  });
  afterAll(() => server.close());

  const form = (path: string, fields: Record<string, string>) => request(server.url).post(path).set("Origin", server.url).type("form").send(fields);

  it("the sign-in form says to wait, keeps the name, and sets no cookie", async () => {
    expect((await form("/signin", { username: "someone", password: "wrong password" })).status).toBe(401);
    expect((await form("/signin", { username: "someone", password: "wrong password" })).status).toBe(401);
    const third = await form("/signin", { username: "someone", password: "wrong password" });
    expectReadable429(third, /Too many sign-in attempts from this address: try again in \d+ seconds?\./);
    expect(third.text).toContain('value="someone"');
    expect(third.headers["set-cookie"]).toBeUndefined();
  });

  it("the register form says to wait and keeps the name", async () => {
    expect((await form("/register", { username: "first_one", password: "long enough" })).status).toBe(303);
    const second = await form("/register", { username: "second_one", password: "long enough" });
    expectReadable429(second, /Too many new accounts from this address/);
    expect(second.text).toContain('value="second_one"');
  });
});

describe("the chat, giveaways and the pages' streams", () => {
  let server: TestServer;
  let giver: PageUser;
  let winner: PageUser;
  let giveawayId: string;
  beforeAll(async () => {
    server = await startTestServer({
      env: { RATE_LIMITS: "on", RATE_LIMIT_MESSAGES_PER_ACCOUNT: "2/60", RATE_LIMIT_GIVEAWAYS_PER_ACCOUNT: "2/60", RATE_LIMIT_STREAMS_PER_USER: "1" },
    });
    giver = await registerUser(server, "giver");
    winner = await registerUser(server, "winner");
    giveawayId = await drawnGiveaway(giver, winner);
  });
  afterAll(() => server.close());

  it("a send past the limit keeps the text: in the no-JS chat's textarea, and in the form chat.js reads", async () => {
    await sendByForm(giver, giveawayId, "first");
    await sendByForm(giver, giveawayId, "second");
    const page = await giver.get(`/messages/${giveawayId}`);
    const id = messageFormId(page.text);
    const noJs = await giver.post(`/messages/${giveawayId}`, { id, content: "third, not yet sent" });
    expectReadable429(noJs, /You are sending messages too fast: try again in \d+ seconds?\./);
    expect(noJs.text).toMatch(/<textarea[^>]*>third, not yet sent<\/textarea>/);
    expect(messageFormId(noJs.text)).toBe(id); // the same message when sent again: stored once
    expect(noJs.text).toContain("first"); // the chat itself, not an error page

    const byScript = await request(server.url)
      .post(`/messages/${giveawayId}`)
      .set("Cookie", giver.cookie)
      .set("Origin", server.url)
      .set("HX-Request", "true")
      .type("form")
      .send({ id, content: "third, not yet sent" });
    expect(byScript.status).toBe(429);
    expect(Number(byScript.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(byScript.text).toMatch(/<p id="message-error"[^>]*>You are sending messages too fast/);
    expect(byScript.text).toMatch(/<textarea[^>]*>third, not yet sent<\/textarea>/);
    expect(messageFormId(byScript.text)).toBe(id);
    // The other person is not slowed down.
    await sendByForm(winner, giveawayId, "hello");
  });

  it("creating a giveaway past the limit keeps the title", async () => {
    const creator = await registerUser(server, "creator");
    for (const title of ["A desk", "A kettle"]) {
      const list = await creator.get("/giveaways");
      expect((await creator.post("/giveaways", { giveawayId: inputValue(list.text, "giveawayId"), title })).status).toBe(303);
    }
    const list = await creator.get("/giveaways");
    const refused = await creator.post("/giveaways", { giveawayId: inputValue(list.text, "giveawayId"), title: "A third thing", description: "still here" });
    expectReadable429(refused, /You are creating giveaways too fast/);
    expect(refused.text).toContain('value="A third thing"');
    expect(refused.text).toContain("still here");
  });

  it("a page stream past the user's cap is a short 429 text", async () => {
    const first = await connectSse(`${server.url}/messages/${giveawayId}/stream`, { Cookie: winner.cookie });
    try {
      expect(first.status).toBe(200);
      const second = await connectSse(`${server.url}/me/stream`, { Cookie: winner.cookie });
      expect(second.status).toBe(429);
      expect(second.headers["content-type"]).toMatch(/^text\/plain/);
      expect(String(second.body)).toMatch(/at most 1 live stream may be open/);
      expect(Number(second.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    } finally {
      first.close();
    }
  });
});

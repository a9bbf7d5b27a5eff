// Web Push end to end: a real server pushes to a real local push service (localPushService.ts), which
// decrypts each push with the subscription's private key and checks its Topic, TTL, Urgency and the
// VAPID JWT against the server's public key. Nobody with a stream open, a muted conversation or push
// turned off is pushed; a 410 ends the subscription. "Nothing was pushed" is read off a later push:
// the reactor follows the log in order, so once a later event's push has arrived, the earlier event
// has been decided.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userStream } from "../../src/domain/streams.ts";
import { drawnGiveaway, send, type Conversation, type SignedInUser } from "../http/apiFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { browserKeys, startLocalPushService, verifyVapid, type BrowserKeys, type LocalPushService } from "./localPushService.ts";

const publicUrl = "https://chat.example.invalid";

describe("Web Push to a local push service", () => {
  let server: TestServer;
  let pushService: LocalPushService;
  let chat: Conversation;
  let publicKey: string;
  /** The winner's browser and the giver's: each subscribed once. */
  const winnerBrowser: BrowserKeys = browserKeys();
  const giverBrowser: BrowserKeys = browserKeys();

  const pushesTo = (name: string) => pushService.received.filter((push) => push.name === name);
  const decrypted = (name: string, browser: BrowserKeys) => pushesTo(name).map((push) => JSON.parse(browser.decrypt(push.body)) as Record<string, unknown>);
  const subscribe = (user: SignedInUser, name: string, browser: BrowserKeys) =>
    request(server.url).post("/api/push/subscriptions").set(user.auth).send({ endpoint: pushService.endpoint(name), expirationTime: null, keys: browser.keys });
  /** The winner answers; once the giver's push for it has arrived, everything before it has been decided. */
  async function winnerAnswers(text: string) {
    const before = pushesTo("giver").length;
    await send(server, chat.winner, chat.giveawayId, text);
    await expect.poll(() => pushesTo("giver").length).toBe(before + 1);
  }

  beforeAll(async () => {
    pushService = await startLocalPushService();
    server = await startTestServer({ env: { OUTBOUND_ALLOW_PRIVATE: "true", PUBLIC_URL: publicUrl } });
    chat = await drawnGiveaway(server);
    publicKey = (await request(server.url).get("/api/push/public-key")).body.publicKey;
    expect((await subscribe(chat.winner, "winner", winnerBrowser)).status).toBe(201);
    expect((await subscribe(chat.winner, "winner", winnerBrowser)).status).toBe(200); // the same endpoint again
    expect((await subscribe(chat.giver, "giver", giverBrowser)).status).toBe(201);
  });

  afterAll(async () => {
    await server?.close();
    await pushService?.close();
  });

  it("a message reaches the winner's push service, encrypted for their browser, under the conversation's Topic, signed by the server", async () => {
    const sent = await send(server, chat.giver, chat.giveawayId, "Saturday at 10?");
    await expect.poll(() => pushesTo("winner").length).toBe(1);
    const [push] = pushesTo("winner");
    expect(decrypted("winner", winnerBrowser)).toEqual([
      { id: expect.stringMatching(/^[0-9a-f-]{36}$/), kind: "message", giveawayId: chat.giveawayId, title: "A sofa", from: chat.giver.username, body: sent.content, url: `${publicUrl}/messages/${chat.giveawayId}` },
    ]);
    expect(push!.headers).toMatchObject({ topic: chat.giveawayId.replace(/-/g, ""), ttl: "86400", urgency: "normal", "content-encoding": "aes128gcm" });
    const claims = verifyVapid(push!.headers.authorization, publicKey);
    expect(claims.aud).toBe(new URL(pushService.endpoint("winner")).origin);
    expect(claims.sub).toBe(publicUrl);
    expect(claims.exp * 1000).toBeGreaterThan(Date.now());
  });

  it("a preview is cut at 120 characters, and left out when the winner turns previews off", async () => {
    const before = pushesTo("winner").length;
    await send(server, chat.giver, chat.giveawayId, `${"Long story. ".repeat(30)}The end.`);
    await expect.poll(() => pushesTo("winner").length).toBe(before + 1);
    const long = decrypted("winner", winnerBrowser).at(-1)!;
    expect([...(long.body as string)]).toHaveLength(120);
    expect(long.body).toMatch(/^Long story\. .*…$/);

    const off = await request(server.url).put("/api/me/notifications").set(chat.winner.auth).send({ preview: false });
    expect(off.body).toEqual({ push: true, email: true, preview: false });
    await send(server, chat.giver, chat.giveawayId, "The address is Elm Street 5");
    await expect.poll(() => pushesTo("winner").length).toBe(before + 2);
    const bare = decrypted("winner", winnerBrowser).at(-1)!;
    expect(bare).not.toHaveProperty("body");
    expect(bare).toMatchObject({ kind: "message", from: chat.giver.username, title: "A sofa" });
    expect((await request(server.url).put("/api/me/notifications").set(chat.winner.auth).send({ preview: true })).status).toBe(200);
  });

  it("nobody is pushed while a stream of theirs is open, in a conversation they muted, or with push turned off", async () => {
    const before = pushesTo("winner").length;
    // A stream open (the API's user stream): no push.
    const stream = new AbortController();
    const opened = await fetch(`${server.url}/api/me/stream`, { headers: chat.winner.auth, signal: stream.signal });
    expect(opened.status).toBe(200);
    await expect.poll(() => server.handoff.hub.hasOpenStream(chat.winner.id)).toBe(true);
    await send(server, chat.giver, chat.giveawayId, "while you are here");
    await winnerAnswers("seen it");
    stream.abort();
    await expect.poll(() => server.handoff.hub.hasOpenStream(chat.winner.id)).toBe(false);
    // Muted: no push.
    expect((await request(server.url).put(`/api/giveaways/${chat.giveawayId}/mute`).set(chat.winner.auth)).status).toBeLessThan(300);
    await send(server, chat.giver, chat.giveawayId, "while muted");
    await winnerAnswers("still here");
    expect((await request(server.url).delete(`/api/giveaways/${chat.giveawayId}/mute`).set(chat.winner.auth)).status).toBeLessThan(300);
    // Push turned off: no push.
    expect((await request(server.url).put("/api/me/notifications").set(chat.winner.auth).send({ push: false })).body).toEqual({ push: false, email: true, preview: true });
    await send(server, chat.giver, chat.giveawayId, "while push is off");
    await winnerAnswers("yes");
    expect(pushesTo("winner")).toHaveLength(before);
    // Back on, stream closed, unmuted: pushed again.
    await request(server.url).put("/api/me/notifications").set(chat.winner.auth).send({ push: true });
    await send(server, chat.giver, chat.giveawayId, "back again");
    await expect.poll(() => pushesTo("winner").length).toBe(before + 1);
    expect(decrypted("winner", winnerBrowser).at(-1)!.body).toBe("back again");
  });

  it("a 410 from the push service ends the subscription, in the user's stream", async () => {
    pushService.answer("winner", 410);
    const before = pushesTo("winner").length;
    await send(server, chat.giver, chat.giveawayId, "are you still there?");
    await expect.poll(() => pushesTo("winner").length).toBe(before + 1);
    await expect.poll(() => server.handoff.queries.pushSubscriptionsOf(chat.winner.id)).toEqual([]);
    const events = await server.handoff.store.readStream(userStream(chat.winner.id));
    expect(events.filter((event) => event.type.startsWith("Push")).map((event) => [event.type, (event.data as { reason?: string }).reason])).toEqual([
      ["PushSubscribed", undefined],
      ["PushUnsubscribed", "gone"],
    ]);
    // Nothing more goes there.
    await send(server, chat.giver, chat.giveawayId, "hello?");
    await winnerAnswers("sorry, here");
    expect(pushesTo("winner")).toHaveLength(before + 1);
    const metrics = (await request(server.url).get("/metrics")).text;
    expect(metrics).toMatch(/^handoff_pushes_total\{outcome="sent"\} [1-9]/m);
    expect(metrics).toMatch(/^handoff_pushes_total\{outcome="gone"\} 1$/m);
  });

  it("a subscription ended by the browser is gone at once, and ending it again is harmless", async () => {
    const endpoint = pushService.endpoint("giver");
    for (let i = 0; i < 2; i++) {
      const ended = await request(server.url).delete(`/api/push/subscriptions?endpoint=${encodeURIComponent(endpoint)}`).set(chat.giver.auth);
      expect(ended.status).toBe(204);
    }
    expect(server.handoff.queries.pushSubscriptionsOf(chat.giver.id)).toEqual([]);
  });
});

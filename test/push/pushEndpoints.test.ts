// The push API's refusals and settings, on a server with the default outbound rule (no
// OUTBOUND_ALLOW_PRIVATE): an endpoint on http, loopback, a private or reserved address is refused
// 422 url_not_allowed and nothing is stored; bad keys and bad settings are 422 invalid_field. The
// VAPID key pair is made once in the data dir and kept across restarts, or taken from VAPID_*.
import { existsSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import webpush from "web-push";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userStream } from "../../src/domain/streams.ts";
import { expectError, signUp, type SignedInUser } from "../http/apiFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { makeTempDir } from "../support/tempDir.ts";
import { browserKeys } from "./localPushService.ts";

describe("push subscriptions under the outbound rule", () => {
  let server: TestServer;
  let user: SignedInUser;
  const { keys } = browserKeys();
  const dataDir = makeTempDir("push-endpoints");

  beforeAll(async () => {
    server = await startTestServer({ dataDir: dataDir.path });
    user = await signUp(server, "pusher");
  });
  afterAll(async () => {
    await server?.close();
    dataDir.remove();
  });

  it.each([
    ["http on a public name", "http://push.example.invalid/send/1"],
    ["a loopback address", "https://127.0.0.1:8443/push/1"],
    ["a loopback name", "https://localhost/push/1"],
    ["a private address", "https://10.1.2.3/push/1"],
    ["an IPv6 loopback", "https://[::1]/push/1"],
    ["a link-local address", "https://169.254.169.254/latest"],
    ["a user name in the URL", "https://user:secret@push.example.invalid/send/1"],
  ])("refuses an endpoint with %s (422 url_not_allowed), storing nothing", async (_what, endpoint) => {
    const refused = await request(server.url).post("/api/push/subscriptions").set(user.auth).send({ endpoint, keys });
    expectError(refused, 422, "url_not_allowed");
    expect(server.handoff.queries.pushSubscriptionsOf(user.id)).toEqual([]);
    const events = await server.handoff.store.readStream(userStream(user.id));
    expect(events.filter((event) => event.type === "PushSubscribed")).toEqual([]);
  });

  it("refuses keys that are not a browser's (422 invalid_field), and a body without them", async () => {
    const endpoint = "https://push.example.invalid/send/1";
    expectError(await request(server.url).post("/api/push/subscriptions").set(user.auth).send({ endpoint, keys: { ...keys, p256dh: "AAAA" } }), 422, "invalid_field");
    expectError(await request(server.url).post("/api/push/subscriptions").set(user.auth).send({ endpoint }), 422, "invalid_field");
    expectError(await request(server.url).delete("/api/push/subscriptions").set(user.auth), 422, "invalid_field");
    expect(server.handoff.queries.pushSubscriptionsOf(user.id)).toEqual([]);
  });

  it("settings: all on until changed; a change names only what it changes; anything else is 422", async () => {
    expect((await request(server.url).get("/api/me/notifications").set(user.auth)).body).toEqual({ push: true, email: true, preview: true });
    const changed = await request(server.url).put("/api/me/notifications").set(user.auth).send({ email: false });
    expect([changed.status, changed.body]).toEqual([200, { push: true, email: false, preview: true }]);
    expect((await request(server.url).get("/api/me/notifications").set(user.auth)).body).toEqual({ push: true, email: false, preview: true });
    for (const body of [{}, { push: "yes" }, { push: true, sound: true }, [true]]) {
      expectError(await request(server.url).put("/api/me/notifications").set(user.auth).send(body), 422, "invalid_field");
    }
    expect(server.handoff.queries.notificationSettingsOf(user.id)).toEqual({ push: true, email: false, preview: true });
  });

  it("the VAPID public key is made once and kept across a restart", async () => {
    const first = (await request(server.url).get("/api/push/public-key")).body.publicKey as string;
    expect(first).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(existsSync(join(server.dataDir, "vapid-keys.json"))).toBe(true);
    await server.stop();
    server = await startTestServer({ dataDir: server.dataDir });
    expect((await request(server.url).get("/api/push/public-key")).body.publicKey).toBe(first);
  });

  it("VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are used when set", async () => {
    const keys = webpush.generateVAPIDKeys();
    const dir = makeTempDir("vapid");
    const configured = await startTestServer({ dataDir: dir.path, env: { VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: "mailto:ops@example.invalid" } });
    try {
      expect((await request(configured.url).get("/api/push/public-key")).body).toEqual({ publicKey: keys.publicKey });
      expect(existsSync(join(dir.path, "vapid-keys.json"))).toBe(false);
    } finally {
      await configured.stop();
      dir.remove();
    }
  });
});

// Sessions that end: sign-out (API and pages) ends the token's session, the token then gets 401
// everywhere, and every stream opened with it ends with a final `event: expired`.
import { readFileSync } from "node:fs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnGiveaway, expectError, password, signUp, type Conversation } from "./apiFixtures.ts";
import { connectSse } from "../support/sseClient.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { registerUser } from "../pages/pageSession.ts";

describe("sessions that end", () => {
  let server: TestServer;
  let talk: Conversation;
  beforeAll(async () => {
    server = await startTestServer();
    talk = await drawnGiveaway(server);
  });
  afterAll(() => server?.close());

  it("records each sign-in as a session in the user's stream", async () => {
    const user = await signUp(server, "rec");
    const events = await server.handoff.store.readStream(`user-${user.id}`);
    expect(events.map((event) => event.type)).toEqual(["UserRegistered", "SessionStarted"]);
  });

  it("DELETE /api/tokens/current: 204, then the token gets 401 everywhere and its streams end with `expired`", async () => {
    const session = await request(server.url).post("/api/tokens").send({ username: talk.giver.username, password });
    const auth = { Authorization: `Bearer ${session.body.token}` };
    const conversation = await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream`, auth);
    const notifications = await connectSse(`${server.url}/api/me/stream`, auth);
    expect([conversation.status, notifications.status]).toEqual([200, 200]);

    expect((await request(server.url).delete("/api/tokens/current").set(auth)).status).toBe(204);
    await Promise.all([conversation.ended, notifications.ended]);
    expect(conversation.events.at(-1)?.event).toBe("expired");
    expect(notifications.events.at(-1)?.event).toBe("expired");

    expectError(await request(server.url).get("/api/me").set(auth), 401, "invalid_token");
    expectError(await request(server.url).post(`/api/giveaways/${talk.giveawayId}/messages`).set(auth).send({ content: "still here?" }), 401, "invalid_token");
    expect((await connectSse(`${server.url}/api/me/stream`, auth)).status).toBe(401);
    // The giver's other session is untouched.
    expect((await request(server.url).get("/api/me").set(talk.giver.auth)).status).toBe(200);
  });

  it("DELETE /api/tokens ends every session of the user", async () => {
    const user = await signUp(server, "all");
    const second = await request(server.url).post("/api/tokens").send({ username: user.username, password });
    const otherAuth = { Authorization: `Bearer ${second.body.token}` };
    expect((await request(server.url).delete("/api/tokens").set(user.auth)).status).toBe(204);
    expectError(await request(server.url).get("/api/me").set(user.auth), 401, "invalid_token");
    expectError(await request(server.url).get("/api/me").set(otherAuth), 401, "invalid_token");
    const again = await request(server.url).post("/api/tokens").send({ username: user.username, password });
    expect((await request(server.url).get("/api/me").set({ Authorization: `Bearer ${again.body.token}` })).status).toBe(200);
  });

  it("page sign-out ends the cookie's session: the old cookie no longer reads, its page stream ends", async () => {
    const person = await registerUser(server, `out${process.pid}`);
    const stream = await connectSse(`${server.url}/me/stream`, { Cookie: person.cookie });
    expect(stream.status).toBe(200);
    expect((await person.post("/signout")).status).toBe(303);
    await stream.ended;
    expect(stream.events.at(-1)?.event).toBe("expired");
    const after = await person.get("/giveaways");
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/signin/);
  });

  it("page 'Sign out everywhere' ends the user's API sessions too", async () => {
    const person = await registerUser(server, `every${process.pid}`, password);
    const token = (await request(server.url).post("/api/tokens").send({ username: person.username, password })).body.token as string;
    expect((await person.post("/signout/everywhere")).status).toBe(303);
    expectError(await request(server.url).get("/api/me").set("Authorization", `Bearer ${token}`), 401, "invalid_token");
  });
});

describe("cookies and origins", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_URL: "https://chat.example" } });
  });
  afterAll(() => server?.close());

  it("sets a Secure cookie when the public origin is https, and compares the scheme, host and port", async () => {
    const form = { username: `sec${process.pid}`, password };
    // No Origin and no Referer: refused. The right host over http (wrong scheme), or another port: refused.
    expect((await request(server.url).post("/register").type("form").send(form)).status).toBe(403);
    expect((await request(server.url).post("/register").set("Origin", "http://chat.example").type("form").send(form)).status).toBe(403);
    expect((await request(server.url).post("/register").set("Origin", "https://chat.example:8443").type("form").send(form)).status).toBe(403);
    const registered = await request(server.url).post("/register").set("Origin", "https://chat.example").type("form").send(form);
    expect(registered.status).toBe(303);
    const cookie = (registered.headers["set-cookie"] as unknown as string[]).find((c) => c.startsWith("handoff_session="))!;
    expect(cookie).toMatch(/; Secure/);
    const session = cookie.split(";")[0]!;
    // A cookie write with neither Origin nor Referer is refused.
    expect((await request(server.url).post("/signout").set("Cookie", session)).status).toBe(403);
    expect((await request(server.url).post("/signout").set("Cookie", session).set("Referer", "https://chat.example/giveaways")).status).toBe(303);
  });
});

describe("deployment", () => {
  it("docker-compose refuses to start without a JWT_SECRET (no working default)", () => {
    const compose = readFileSync("docker-compose.yml", "utf8");
    expect(compose).toMatch(/JWT_SECRET: \$\{JWT_SECRET:\?[^}]+\}/);
  });
});

// POST /api/users, POST /api/tokens, GET /api/me: registering, signing in, and who the token says you are.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionCookieName } from "../../src/http/authentication.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { expectError, password, signUp, tokenFor, uniqueName } from "./apiFixtures.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("POST /api/users", () => {
  it("registers a user with the username trimmed: 201 {id, username}", async () => {
    const username = uniqueName("ann");
    const response = await request(server.url).post("/api/users").send({ username: `  ${username} `, password });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), username });
  });

  it("refuses a taken username, ignoring case, with 409 username_taken", async () => {
    const username = uniqueName("bob");
    expect((await request(server.url).post("/api/users").send({ username, password })).status).toBe(201);
    expectError(await request(server.url).post("/api/users").send({ username: username.toUpperCase(), password }), 409, "username_taken");
  });

  it("refuses a bad username or password with 422, naming the problem", async () => {
    expectError(await request(server.url).post("/api/users").send({ username: "a b", password }), 422, "invalid_username");
    expectError(await request(server.url).post("/api/users").send({ username: uniqueName("cy"), password: "short" }), 422, "invalid_password");
    const missing = await request(server.url).post("/api/users").send({ username: uniqueName("di") });
    expectError(missing, 422, "invalid_field");
    expect(missing.body.error.message).toContain("password");
    const wrongType = await request(server.url).post("/api/users").send({ username: 42, password });
    expectError(wrongType, 422, "invalid_field");
    expect(wrongType.body.error.message).toContain("username");
  });
});

describe("POST /api/tokens", () => {
  it("signs in: 201 {token, expiresAt}, and the token works", async () => {
    const username = uniqueName("eve");
    await request(server.url).post("/api/users").send({ username, password });
    const response = await request(server.url).post("/api/tokens").send({ username: ` ${username.toUpperCase()}`, password });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ token: expect.any(String), expiresAt: expect.any(String) });
    expect(new Date(response.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await request(server.url).get("/api/me").set("Authorization", `Bearer ${response.body.token}`);
    expect(me.body.username).toBe(username);
  });

  it("refuses a wrong password or an unknown user with the same 401 invalid_credentials", async () => {
    const user = await signUp(server, "fay");
    expectError(await request(server.url).post("/api/tokens").send({ username: user.username, password: "wrong password" }), 401, "invalid_credentials");
    expectError(await request(server.url).post("/api/tokens").send({ username: uniqueName("nobody"), password }), 401, "invalid_credentials");
  });
});

describe("GET /api/me", () => {
  it("answers {id, username, platformId, picture} for a Bearer token (a local account has no platform id)", async () => {
    const user = await signUp(server, "gil");
    const response = await request(server.url).get("/api/me").set(user.auth);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: user.id, username: user.username, platformId: null, picture: null });
  });

  it("accepts the session cookie too, so the pages' scripts can call the API", async () => {
    const user = await signUp(server, "hal");
    const response = await request(server.url).get("/api/me").set("Cookie", `${sessionCookieName}=${user.token}`);
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(user.id);
  });

  it("refuses no token, a forged token and an expired token with 401", async () => {
    const missing = await request(server.url).get("/api/me");
    expectError(missing, 401, "unauthenticated");
    expect(missing.headers["www-authenticate"]).toMatch(/^Bearer/);
    expectError(await request(server.url).get("/api/me").set("Authorization", "Bearer not.a.jwt"), 401, "invalid_token");
    expectError(await request(server.url).get("/api/me").set("Authorization", "Basic abc"), 401, "invalid_token");

    const user = await signUp(server, "ida");
    const forged = tokenFor("another-secret-another-secret-0000", user);
    expectError(await request(server.url).get("/api/me").set("Authorization", `Bearer ${forged.token}`), 401, "invalid_token");

    const expired = tokenFor(server.handoff.config.jwtSecret!, user, -60);
    expect(expired.expiresAt.getTime()).toBeLessThan(Date.now());
    expectError(await request(server.url).get("/api/me").set("Authorization", `Bearer ${expired.token}`), 401, "invalid_token");
  });
});

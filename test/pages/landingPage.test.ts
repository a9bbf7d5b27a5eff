// First contact: someone new reads what handoff is before being asked to sign in; someone
// signed in goes straight to the giveaways.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { registerUser, type PageUser } from "./pageSession.ts";

let server: TestServer;
let ann: PageUser;
beforeAll(async () => {
  server = await startTestServer();
  ann = await registerUser(server, "ann");
});
afterAll(() => server.close());

describe("the landing page", () => {
  it("says what handoff is, then offers to register or sign in", async () => {
    const page = await request(server.url).get("/");
    expect(page.status).toBe(200);
    const main = page.text.slice(page.text.indexOf('<main id="main"'));
    const explanation = main.indexOf("giveaway platform with its own chat");
    expect(explanation).toBeGreaterThan(0);
    expect(main.indexOf('href="/register"')).toBeGreaterThan(explanation);
    expect(main.indexOf('href="/signin"')).toBeGreaterThan(explanation);
    expect(page.text).not.toContain("<form");
  });

  it("sends someone signed in to the giveaways", async () => {
    const response = await ann.get("/");
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe("/giveaways");
  });

  it("the sign-in page says what handoff is too", async () => {
    const page = await request(server.url).get("/signin");
    expect(page.text).toMatch(/handoff: give things away, and agree on the pickup/);
  });
});

// Sign in, register, sign out, the session cookie, pages that need a session, and forged cross-site posts.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, inputValue, pageUser, registerUser, sessionCookieOf, type PageUser } from "./pageSession.ts";

let server: TestServer;
let ann: PageUser;

beforeAll(async () => {
  server = await startTestServer();
  ann = await registerUser(server, "ann");
});
afterAll(() => server.close());

const setCookieOf = (response: request.Response) => (response.headers["set-cookie"] as unknown as string[] | undefined) ?? [];

describe("register and sign in", () => {
  it("registers, sets an HttpOnly SameSite=Lax session cookie and lands on the giveaways", async () => {
    const response = await request(server.url).post("/register").set("Origin", server.url).type("form").send({ username: "Bea", password: "long enough" });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe("/giveaways");
    const cookie = setCookieOf(response).find((c) => c.startsWith("handoff_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    const page = await pageUser(server, "Bea", sessionCookieOf(response)).get("/giveaways");
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="whoami">Bea<');
  });

  it("refuses a taken name (ignoring case) with 409 and a bad name with 422, keeping what was typed", async () => {
    const taken = await request(server.url).post("/register").set("Origin", server.url).type("form").send({ username: "ANN", password: "long enough" });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain("That username is taken");
    expect(taken.text).toContain('value="ANN"');
    expect(setCookieOf(taken)).toEqual([]);
    const invalid = await request(server.url).post("/register").set("Origin", server.url).type("form").send({ username: "a b", password: "long enough" });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain("A username is 3 to 32 letters");
  });

  it("signs in with the right password and refuses a wrong one with 401 and no cookie", async () => {
    const wrong = await request(server.url).post("/signin").set("Origin", server.url).type("form").send({ username: "ann", password: "not the one" });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain("Wrong username or password");
    expect(setCookieOf(wrong)).toEqual([]);
    const right = await request(server.url).post("/signin").set("Origin", server.url).type("form").send({ username: "ann", password: "correct horse" });
    expect(right.status).toBe(303);
    expect((await pageUser(server, "ann", sessionCookieOf(right)).get("/inbox")).status).toBe(200);
  });

  it("returns to the page asked for, but never to another site", async () => {
    const signIn = (next: string) =>
      request(server.url).post("/signin").set("Origin", server.url).type("form").send({ username: "ann", password: "correct horse", next });
    expect((await signIn("/inbox")).headers.location).toBe("/inbox");
    expect((await signIn("//evil.example/x")).headers.location).toBe("/giveaways");
    expect((await signIn("https://evil.example/")).headers.location).toBe("/giveaways");
  });
});

describe("pages need a session", () => {
  it("sends a visitor without a session to sign in, with the way back", async () => {
    for (const path of ["/giveaways", "/inbox", "/messages/some-id", "/giveaways/some-id"]) {
      const response = await request(server.url).get(path);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/signin?next=${encodeURIComponent(path)}`);
    }
    const form = await request(server.url).get("/signin?next=%2Finbox");
    expect(form.status).toBe(200);
    expect(inputValue(form.text, "next")).toBe("/inbox");
  });

  it("treats a forged or garbled cookie as no session, and clears it", async () => {
    const response = await request(server.url).get("/inbox").set("Cookie", "handoff_session=eyJhbGciOiJub25lIn0.e30.");
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe("/signin?next=%2Finbox");
    expect(setCookieOf(response).some((c) => c.startsWith("handoff_session=;"))).toBe(true);
  });

  it("answers a stream without a session with 401 (and where to sign in), not a page", async () => {
    const response = await request(server.url).get("/me/stream");
    expect(response.status).toBe(401);
    expect(response.headers["hx-redirect"]).toMatch(/^\/signin/);
  });
});

describe("sign out", () => {
  it("clears the cookie and goes to sign in", async () => {
    // A session of ann's own to end (the other tests keep using her first one).
    const signedIn = await request(server.url).post("/signin").set("Origin", server.url).type("form").send({ username: "ann", password: "correct horse" });
    const response = await pageUser(server, "ann", sessionCookieOf(signedIn)).post("/signout");
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe("/signin");
    const cleared = setCookieOf(response).find((c) => c.startsWith("handoff_session="))!;
    expect(cleared).toMatch(/^handoff_session=;/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
  });
});

describe("cross-site forgery", () => {
  it("refuses a cookie-carrying POST from another origin, or with no origin at all, with a readable 403", async () => {
    const fromElsewhere = await request(server.url)
      .post("/giveaways")
      .set("Cookie", ann.cookie)
      .set("Origin", "http://evil.example")
      .type("form")
      .send({ giveawayId: "forged-1", title: "Forged" });
    expect(fromElsewhere.status).toBe(403);
    expect(fromElsewhere.text).toContain("This request came from another site");
    const noOrigin = await request(server.url).post("/giveaways").set("Cookie", ann.cookie).type("form").send({ giveawayId: "forged-2", title: "Forged" });
    expect(noOrigin.status).toBe(403);
    const list = await ann.get("/giveaways");
    expect(list.text).not.toContain("Forged");
    expect(server.handoff.queries.giveawayById("forged-1")).toBeUndefined();
  });

  it("refuses a forged message post and stores nothing", async () => {
    const bob = await registerUser(server, "bob");
    const giveawayId = await drawnGiveaway(ann, bob);
    const forged = await request(server.url)
      .post(`/messages/${giveawayId}`)
      .set("Cookie", bob.cookie)
      .set("Referer", "http://evil.example/page")
      .type("form")
      .send({ id: "b0b0b0b0-0000-4000-8000-000000000001", content: "forged" });
    expect(forged.status).toBe(403);
    expect(server.handoff.queries.latestMessages(giveawayId)).toEqual([]);
    const signOut = await request(server.url).post("/signout").set("Cookie", bob.cookie).set("Origin", "http://evil.example");
    expect(signOut.status).toBe(403);
  });

  it("refuses a sign-in form posted from another site (login forgery)", async () => {
    const response = await request(server.url).post("/signin").set("Origin", "http://evil.example").type("form").send({ username: "ann", password: "correct horse" });
    expect(response.status).toBe(403);
    expect(setCookieOf(response)).toEqual([]);
  });
});

describe("what no page answers", () => {
  it("gives a readable 404 for an unknown page and a 413 for a body that is too large", async () => {
    const unknown = await ann.get("/no/such/page");
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain("There is nothing here");
    const huge = await ann.post("/giveaways", { giveawayId: "huge-1", title: "x".repeat(100_000) });
    expect(huge.status).toBe(413);
    expect(huge.text).toContain("That was too much text to send at once");
  });

  it("serves htmx and its SSE extension from our own origin", async () => {
    const htmx = await request(server.url).get("/assets/htmx.min.js");
    expect(htmx.status).toBe(200);
    expect(htmx.headers["content-type"]).toMatch(/javascript/);
    expect(htmx.text).toContain("4.0.1");
    const sse = await request(server.url).get("/assets/hx-sse.js");
    expect(sse.status).toBe(200);
    expect(sse.text).toContain("registerExtension");
    expect((await request(server.url).get("/assets/chat.js")).status).toBe(200);
    const page = await request(server.url).get("/signin");
    expect(page.text).toContain('<script src="/assets/htmx.min.js"></script>');
    expect(page.text).toContain("Give Freely. Live Lightly.");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
  });
});


// The platform's one-time links: /sso signs a platform user into a handoff session and goes on to a
// local path; /embed/giveaways/:id/chat does the same into a partitioned cookie of its own, for a
// chat that only the EMBED_ORIGINS may frame. A link works once (its use is an event), and a bad,
// expired or used one gets a readable page and no session.
import { createHash } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformUserId } from "../../src/domain/platformIds.ts";
import { platformTokenStream } from "../../src/domain/streams.ts";
import { startFakePlatform, type FakePlatform } from "../support/fakePlatform.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { connectSse } from "../support/sseClient.ts";
import { eventually, inputValue } from "../pages/pageSession.ts";

const embedOrigins = ["http://localhost:4999", "https://platform.example"];

let platform: FakePlatform;
let server: TestServer;

beforeAll(async () => {
  platform = await startFakePlatform();
  server = await startTestServer({ env: { ...platform.env, EMBED_ORIGINS: embedOrigins.join(",") } });
});

afterAll(async () => {
  await server?.close();
  await platform?.close();
});

const setCookies = (response: request.Response): string[] => (response.headers["set-cookie"] as unknown as string[] | undefined) ?? [];
/** `name=value` of the cookie `name` the answer sets, or undefined. */
const cookieSet = (response: request.Response, name: string) => setCookies(response).find((cookie) => cookie.startsWith(`${name}=`));
const pair = (setCookie: string) => setCookie.split(";")[0]!;

const sso = (query: Record<string, string>) => request(server.url).get(`/sso?${new URLSearchParams(query)}`);

/** A refused link: a readable page with the status, and no session of any kind. */
function expectRefusedPage(response: request.Response, status: number, words: RegExp) {
  expect(response.status, response.text.slice(0, 300)).toBe(status);
  expect(response.headers["content-type"]).toMatch(/^text\/html/);
  expect(response.text).toContain(`data-status="${status}"`);
  expect(response.text).toMatch(words);
  expect(response.text).not.toMatch(/at .*\.ts:\d+/); // never a stack
  expect(setCookies(response).filter((cookie) => !cookie.includes("Expires=Thu, 01 Jan 1970"))).toEqual([]);
}

describe("GET /sso", () => {
  it("signs the platform user in: 303 to next, a session cookie that works on the pages and the API, the token kept out of Referer and caches", async () => {
    const answer = await sso({ token: await platform.sign({ sub: "sso-ann", name: "Ann Platform" }), next: "/giveaways?mine=1" });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe("/giveaways?mine=1");
    expect(answer.headers["referrer-policy"]).toBe("no-referrer");
    expect(answer.headers["cache-control"]).toBe("no-store");
    const session = cookieSet(answer, "handoff_session");
    expect(session).toMatch(/HttpOnly/i);
    const cookie = pair(session!);

    const inbox = await request(server.url).get("/inbox").set("Cookie", cookie);
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain("Ann Platform");
    const me = await request(server.url).get("/api/me").set("Cookie", cookie);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: platformUserId("sso-ann"), username: "Ann Platform" });
  });

  it("goes to /inbox without next", async () => {
    const answer = await sso({ token: await platform.sign({ sub: "sso-inbox" }) });
    expect([answer.status, answer.headers.location]).toEqual([303, "/inbox"]);
  });

  it.each([["//evil.example/x"], ["https://evil.example/x"], ["/\\evil.example"], ["javascript:alert(1)"], ["inbox"]])("never goes to another site: next=%s goes to /inbox", async (next) => {
    const answer = await sso({ token: await platform.sign({ sub: "sso-next" }), next });
    expect([answer.status, answer.headers.location]).toEqual([303, "/inbox"]);
    expect(cookieSet(answer, "handoff_session")).toBeDefined();
  });

  it("works once: the use is an event in the jti's own stream, and a second use (even of a fresh token with the same jti) is refused", async () => {
    const jti = `link-${Date.now()}`;
    const token = await platform.sign({ sub: "sso-once", jti });
    expect((await sso({ token })).status).toBe(303);
    const used = await server.handoff.store.readStream(platformTokenStream(createHash("sha256").update(jti).digest("hex")));
    expect(used.map((event) => [event.type, (event.data as { userId: string }).userId])).toEqual([["PlatformTokenUsed", platformUserId("sso-once")]]);

    expectRefusedPage(await sso({ token }), 401, /used already/);
    expectRefusedPage(await sso({ token: await platform.sign({ sub: "sso-once", jti }) }), 401, /used already/);
  });

  it("refuses a token without a jti (it would not be one-time)", async () => {
    expectRefusedPage(await sso({ token: await platform.sign({ sub: "sso-nojti", jti: null }) }), 401, /jti/);
  });

  it("refuses expired, wrongly addressed, forged and missing tokens with a readable page", async () => {
    expectRefusedPage(await sso({ token: await platform.sign({ sub: "sso-bad", expiresIn: -120 }) }), 401, /expired/);
    expectRefusedPage(await sso({ token: await platform.sign({ sub: "sso-bad", audience: "someone-else" }) }), 401, /audience/);
    const token = await platform.sign({ sub: "sso-bad" });
    // The signature's first character changed (to one it is not already: a fixed "A" left it as it was one time in 64).
    const at = token.lastIndexOf(".") + 1;
    const forged = token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
    expectRefusedPage(await sso({ token: forged }), 401, /signature/);
    expectRefusedPage(await sso({ token: "not-a-jwt" }), 401, /open the link again/i);
    expectRefusedPage(await request(server.url).get("/sso"), 401, /no token/);
    expectRefusedPage(await request(server.url).get("/sso?token=a&token=b"), 401, /no token/);
  });

  it("ends like a password sign-in's session: sign-out refuses the cookie afterwards", async () => {
    const cookie = pair(cookieSet(await sso({ token: await platform.sign({ sub: "sso-out" }) }), "handoff_session")!);
    expect((await request(server.url).post("/signout").set("Cookie", cookie).set("Origin", server.url)).status).toBe(303);
    expect((await request(server.url).get("/api/me").set("Cookie", cookie)).status).toBe(401);
  });
});

describe("GET /embed/giveaways/:id/chat", () => {
  let giveawayId: string;
  let embedCookie: string;

  beforeAll(async () => {
    const bearer = async (sub: string) => ({ Authorization: `Bearer ${await platform.sign({ sub, name: sub })}` });
    const created = await request(server.url).post("/api/giveaways").set(await bearer("embed-giver")).send({ title: "A lamp" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    giveawayId = created.body.id;
    expect((await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(await bearer("embed-winner"))).status).toBe(201);
    expect((await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(await bearer("embed-giver"))).status).toBe(200);
  });

  const embedPath = () => `/embed/giveaways/${giveawayId}/chat`;

  it("signs in with a one-time token into a partitioned SameSite=None cookie of its own, then 303 to itself without the token", async () => {
    const answer = await request(server.url).get(`${embedPath()}?token=${await platform.sign({ sub: "embed-winner", name: "Winnie" })}`);
    expect(answer.status, answer.text.slice(0, 300)).toBe(303);
    expect(answer.headers.location).toBe(embedPath());
    expect(answer.headers["referrer-policy"]).toBe("no-referrer");
    expect(answer.headers["cache-control"]).toBe("no-store");
    expect(cookieSet(answer, "handoff_session")).toBeUndefined();
    const cookie = cookieSet(answer, "handoff_embed_session")!;
    for (const attribute of [/;\s*SameSite=None/i, /;\s*Secure/i, /;\s*Partitioned/i, /;\s*HttpOnly/i]) expect(cookie).toMatch(attribute);
    embedCookie = pair(cookie);
  });

  it("shows the chat without handoff's navigation, framable by the EMBED_ORIGINS only; every other page refuses frames", async () => {
    const page = await eventually(
      () => request(server.url).get(embedPath()).set("Cookie", embedCookie),
      (response) => response.status === 200,
    );
    expect(page.text).toContain('id="chat"');
    expect(page.text).toContain("A lamp");
    expect(page.text).not.toContain('id="inbox-link"');
    expect(page.text).toContain(`data-embed-origins="${embedOrigins.join(" ")}"`);
    expect(page.headers["content-security-policy"]).toContain(`frame-ancestors ${embedOrigins.join(" ")};`);
    expect(page.headers["x-frame-options"]).toBeUndefined();

    const sessionCookie = pair(cookieSet(await sso({ token: await platform.sign({ sub: "embed-winner", name: "Winnie" }) }), "handoff_session")!);
    for (const path of ["/", "/signin", "/inbox", `/messages/${giveawayId}`, `/giveaways/${giveawayId}`, "/no-such-page"]) {
      const other = await request(server.url).get(path).set("Cookie", sessionCookie);
      expect(other.headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
      expect(other.headers["x-frame-options"], path).toBe("DENY");
    }
  });

  it("serves every route the chat uses with the embed cookie: send, its stream, the read mark", async () => {
    const page = await request(server.url).get(embedPath()).set("Cookie", embedCookie);
    const form = { id: inputValue(page.text, "id"), content: "Sent from the frame" };
    const sent = await request(server.url).post(`/messages/${giveawayId}`).set("Cookie", embedCookie).set("Origin", server.url).set("HX-Request", "true").type("form").send(form);
    expect(sent.status).toBe(200);
    const stream = await connectSse(`${server.url}/messages/${giveawayId}/stream?after=-1`, { Cookie: embedCookie });
    try {
      expect(stream.status).toBe(200);
    } finally {
      stream.close();
    }
    const read = await request(server.url).post(`/messages/${giveawayId}/read`).set("Cookie", embedCookie).set("Origin", server.url).type("form").send({ revision: "0" });
    expect(read.status).toBe(204);
    const api = await request(server.url).get(`/api/giveaways/${giveawayId}/messages`).set("Cookie", embedCookie);
    expect(api.status).toBe(200);
  });

  it("refuses a cross-site write that carries the embed cookie (403), on the pages and the API", async () => {
    const page = await request(server.url).get(embedPath()).set("Cookie", embedCookie);
    const form = { id: inputValue(page.text, "id"), content: "forged" };
    const forged = await request(server.url).post(`/messages/${giveawayId}`).set("Cookie", embedCookie).set("Origin", "https://platform.example").type("form").send(form);
    expect(forged.status).toBe(403);
    const noOrigin = await request(server.url).post(`/messages/${giveawayId}/read`).set("Cookie", embedCookie).type("form").send({ revision: "0" });
    expect(noOrigin.status).toBe(403);
    const api = await request(server.url).post(`/api/giveaways/${giveawayId}/messages`).set("Cookie", embedCookie).set("Origin", "http://localhost:4999").send({ content: "forged" });
    expect(api.status).toBe(403);
  });

  it("sends the no-script chat (its forms answer 303 to /messages/:id) back into the embed", async () => {
    const back = await request(server.url).get(`/messages/${giveawayId}?minRevision=1`).set("Cookie", embedCookie);
    expect([back.status, back.headers.location]).toEqual([303, `${embedPath()}?minRevision=1`]);
  });

  it("refuses, inside the frame, a used token or no session at all (a readable page, no cookie)", async () => {
    const jti = `embed-${Date.now()}`;
    expect((await request(server.url).get(`${embedPath()}?token=${await platform.sign({ sub: "embed-winner", jti })}`)).status).toBe(303);
    const used = await request(server.url).get(`${embedPath()}?token=${await platform.sign({ sub: "embed-winner", jti })}`);
    expectRefusedPage(used, 401, /used already/);
    expect(used.headers["content-security-policy"]).toContain(`frame-ancestors ${embedOrigins.join(" ")};`);
    expect(used.text).not.toContain('href="/signin"');
    expectRefusedPage(await request(server.url).get(embedPath()), 401, /open it again/);
    expectRefusedPage(await request(server.url).get("/embed/giveaways/not-an-id/chat"), 404, /nothing here/);
  });

  it("shows someone else's conversation to nobody: a 403 page inside the frame", async () => {
    const signedIn = await request(server.url).get(`${embedPath()}?token=${await platform.sign({ sub: "embed-outsider" })}`);
    const refused = await request(server.url).get(embedPath()).set("Cookie", pair(cookieSet(signedIn, "handoff_embed_session")!));
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("Not your conversation");
    expect(refused.text).not.toContain('id="inbox-link"');
    expect(refused.headers["content-security-policy"]).toContain(`frame-ancestors ${embedOrigins.join(" ")};`);
  });
});

describe("without a platform", () => {
  let plain: TestServer;
  beforeAll(async () => {
    plain = await startTestServer();
  });
  afterAll(() => plain?.close());

  it("has no /sso and no embed sign-in: 404 pages", async () => {
    const token = await platform.sign({ sub: "nobody" });
    for (const path of [`/sso?token=${token}`, `/embed/giveaways/${platformUserId("x")}/chat?token=${token}`]) {
      const answer = await request(plain.url).get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.text).toContain('data-status="404"');
      expect(cookieSet(answer, "handoff_session") ?? cookieSet(answer, "handoff_embed_session")).toBeUndefined();
    }
  });
});

describe("while the platform's keys cannot be had", () => {
  let downPlatform: FakePlatform;
  let downServer: TestServer;
  beforeAll(async () => {
    downPlatform = await startFakePlatform();
    downPlatform.down();
    downServer = await startTestServer({ env: downPlatform.env });
  });
  afterAll(async () => {
    await downServer?.close();
    await downPlatform?.close();
  });

  it("answers a 503 page saying to try again, with Retry-After, and no session", async () => {
    const answer = await request(downServer.url).get(`/sso?token=${await downPlatform.sign({ sub: "sso-later" })}`);
    expectRefusedPage(answer, 503, /try again/i);
    expect(answer.headers["retry-after"]).toBe("5");
  });
});

// Property-based fuzzing of the whole edge: every route, with hostile cookies, tokens, headers
// (Last-Event-ID, Content-Encoding, Content-Type, Origin), ids, query strings and bodies. Each
// case: an answer below 500, the server still answering, and a refused request stores nothing.
// FUZZ_RUNS and FUZZ_SEED replay a run; the seed and the case count are printed every run.
import http from "node:http";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import jwt from "jsonwebtoken";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnGiveaway, tokenFor, type Conversation } from "../http/apiFixtures.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

const runs = Number(process.env.FUZZ_RUNS ?? 2500);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const routes: [string, string][] = [
  ["GET", "/"],
  ["GET", "/healthz"],
  ["POST", "/api/users"],
  ["POST", "/api/tokens"],
  ["GET", "/api/me"],
  ["GET", "/api/giveaways"],
  ["POST", "/api/giveaways"],
  ["GET", "/api/giveaways/:id"],
  ["POST", "/api/giveaways/:id/entries"],
  ["POST", "/api/giveaways/:id/draw"],
  ["GET", "/api/giveaways/:id/messages"],
  ["POST", "/api/giveaways/:id/messages"],
  ["POST", "/api/giveaways/:id/read"],
  ["GET", "/api/giveaways/:id/events"],
  ["GET", "/api/giveaways/:id/stream"],
  ["GET", "/api/me/stream"],
  ["GET", "/api/inbox"],
  ["GET", "/api/:id"],
  ["GET", "/signin"],
  ["POST", "/signin"],
  ["GET", "/register"],
  ["POST", "/register"],
  ["POST", "/signout"],
  ["GET", "/giveaways"],
  ["POST", "/giveaways"],
  ["GET", "/giveaways/:id"],
  ["POST", "/giveaways/:id/entries"],
  ["POST", "/giveaways/:id/draw"],
  ["GET", "/giveaways/:id/audit"],
  ["GET", "/messages/:id"],
  ["POST", "/messages/:id"],
  ["POST", "/messages/:id/read"],
  ["GET", "/messages/:id/stream"],
  ["GET", "/me/stream"],
  ["GET", "/inbox"],
  ["GET", "/assets/:id"],
  ["PUT", "/api/giveaways/:id"],
  ["DELETE", "/giveaways/:id"],
];

interface Answer {
  status: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** One raw request; a stream that opens answers with its headers and is then cut. */
function send(url: string, method: string, headers: Record<string, string>, body: Buffer | undefined, viaAgent: http.Agent | false = agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: viaAgent, timeout: 10_000 }, (res) => {
      const status = res.statusCode ?? 0;
      if (res.headers["content-type"]?.startsWith("text/event-stream")) {
        req.destroy();
        return resolve({ status });
      }
      res.resume();
      res.on("end", () => resolve({ status }));
      res.on("error", () => resolve({ status }));
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on("error", reject);
    req.end(body);
  });
}

describe("edge fuzz", () => {
  let server: TestServer;
  let talk: Conversation;
  beforeAll(async () => {
    server = await startTestServer();
    talk = await drawnGiveaway(server);
  });
  afterAll(async () => {
    agent.destroy();
    await server?.close();
  });

  it(`answers ${runs} hostile requests below 500, stays up, and stores nothing it refused`, async () => {
    const secret = server.handoff.config.jwtSecret!;
    const giver = { id: talk.giver.id, username: talk.giver.username };
    const tokens = fc.constantFrom(
      talk.giver.token,
      talk.winner.token,
      talk.outsider.token,
      tokenFor("another-secret-another-secret-0000", giver).token,
      tokenFor(secret, giver, -60).token,
      jwt.sign({ sub: giver.id, name: "x", sid: "s", sat: 0 }, "", { algorithm: "none" } as jwt.SignOptions),
      "not.a.jwt",
      "%",
      "",
    );
    const hostileText = fc.oneof(
      fc.constantFrom("%", "%E0%A4%A", "%00", "..%2F..", "\u0000", "'; DROP TABLE x;--", "<script>", "-1", "99999999999999999999", "1e9"),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 20 }),
    );
    const id = fc.oneof(
      fc.constant(talk.giveawayId),
      fc.constant(talk.giveawayId.toUpperCase()),
      fc.uuid(),
      hostileText.map((text) => encodeURIComponent(text) || "x"),
      fc.constantFrom("%", "%E0%A4%A", "x", "..", "%2e%2e"),
    );
    const credentials = fc.oneof(
      fc.constant({}),
      tokens.map((token) => ({ Authorization: `Bearer ${token}` })),
      fc.string({ maxLength: 30 }).map((text) => ({ Authorization: text.replace(/[\r\n]/g, "") })),
      tokens.map((token) => ({ Cookie: `handoff_session=${token}` })),
      fc.constantFrom("handoff_session=%", "handoff_session=%E0%A4%A", "a=%; handoff_session=", "handoff_session=\u00ff").map((cookie) => ({ Cookie: cookie })),
    );
    const headerValue = (values: string[]) => fc.option(fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 20 })), { nil: undefined });
    const extraHeaders = fc.record({
      "Last-Event-ID": headerValue(["-1", "0", "3", "999999", "-7", "1.5", "99999999999999999999"]),
      "Content-Encoding": headerValue(["gzip", "deflate", "br", "identity", "gzip, gzip"]),
      "Content-Type": headerValue(["application/json", "application/x-www-form-urlencoded", "text/plain", "application/json; charset=latin1", "multipart/form-data"]),
      Origin: headerValue([server.url, "http://evil.example", "null", "https://127.0.0.1"]),
      Referer: headerValue([`${server.url}/giveaways`, "http://evil.example/"]),
      "HX-Request": headerValue(["true"]),
    });
    const query = fc.oneof(
      fc.constant(""),
      fc.constantFrom("?after=-1", "?after=999999", "?after=x", "?after=1&after=2", "?limit=0", "?limit=100000", "?until=yesterday", "?format=xml", "?next=//evil", "?revision=-5"),
      fc.string({ maxLength: 30 }).map((text) => `?${encodeURIComponent(text)}=${encodeURIComponent(text)}`),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.json({ maxDepth: 3 }).map((text) => Buffer.from(text)),
      fc.constantFrom('{"content":"hi"}', '{"title":"Fuzzed sofa"}', '{"revision":5}', '{"username":"fuzz_user","password":"long enough pw"}', "giveawayId=x&title=y", "id=x&content=", "{", "[]", "null").map((text) => Buffer.from(text)),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      fc.constant(Buffer.concat([gzipSync(Buffer.from('{"content":"x"}')).subarray(0, 10), Buffer.from("junk")])),
    );

    let lastPosition = (await server.handoff.store.readAll()).at(-1)?.position ?? -1n;
    let cases = 0;
    const fiveHundreds: string[] = [];

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), id, credentials, extraHeaders, query, body, async ([method, template], idValue, creds, extra, queryText, payload) => {
        cases += 1;
        const path = template.replace(":id", idValue);
        const headers: Record<string, string> = { ...creds };
        for (const [name, value] of Object.entries(extra)) if (value !== undefined) headers[name] = value.replace(/[^\t\x20-\x7e\x80-\xff]/g, "");
        let answer: Answer;
        const url = `${server.url}${path}${queryText}`;
        try {
          answer = await send(url, method, headers, payload);
        } catch (error) {
          // A request node's client could not even send (an illegal header) is not the server's doing.
          if (error instanceof TypeError) return;
          // A kept-alive socket the server had just closed: once more on a fresh connection.
          answer = await send(url, method, headers, payload, false);
        }
        if (answer.status >= 500) fiveHundreds.push(`${answer.status} ${method} ${path}${queryText}`);
        expect(answer.status, `${method} ${path}${queryText} ${JSON.stringify(headers)}`).toBeLessThan(500);
        const newer = await server.handoff.store.readAll({ fromPosition: lastPosition + 1n, maxCount: 100 });
        if (answer.status >= 400) expect(newer, `${method} ${path} was refused (${answer.status}) yet stored events`).toEqual([]);
        if (newer.length > 0) lastPosition = newer.at(-1)!.position;
        if (cases % 250 === 0) expect((await request(server.url).get("/healthz")).status).toBe(200);
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    expect((await request(server.url).get("/healthz")).status).toBe(200);
    console.log(`edge fuzz: seed=${seed} cases=${cases} answers>=500: ${fiveHundreds.length} (replay with FUZZ_SEED=${seed} FUZZ_RUNS=${runs})`);
    expect(fiveHundreds).toEqual([]);
  }, 600_000);
});

// The authorization matrix: every route x every kind of credentials (none, malformed, foreign-signed,
// `alg: none`, expired, revoked, a stranger, the losing entrant, the giver, the winner). What each
// answer must be comes from the table below (a class of statuses), never from the code under test;
// no answer to anyone but the giver and the winner may carry the conversation's words or its pickup place.
import http from "node:http";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGiveaway, send, signUp, uniqueName, type SignedInUser } from "./apiFixtures.ts";
import { credentialHeaders, credentialKinds, forgedTokens, personKinds, signInAgain, type CredentialKind, type PersonKind } from "../support/credentialKinds.ts";
import { onePixelPng } from "../support/sampleFiles.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { matrixRoutes, type Expectation, type MatrixRoute, type Target } from "./authorizationRoutes.ts";

const secretWords = `matrix secret words ${process.pid}`;
const secretPlace = `matrix secret place ${process.pid}`;

interface Answer {
  status: number;
  location: string | undefined;
  text: string;
}

function meets(expected: Expectation, answer: Answer, unauthenticated: 401 | "signin"): boolean {
  const toSignIn = answer.status === 303 && (answer.location ?? "").startsWith("/signin");
  switch (expected) {
    case "ok":
      return answer.status >= 200 && answer.status < 400 && !toSignIn;
    case "denied":
      return answer.status === 403 || answer.status === 404;
    case "passed":
      return answer.status < 500 && ![401, 403, 404].includes(answer.status) && !toSignIn;
    case "unauthenticated":
      return unauthenticated === 401 ? answer.status === 401 : toSignIn;
    case "signedOut":
      return answer.status === 204 || answer.status === 303;
  }
}

describe("authorization matrix", () => {
  let server: TestServer;
  const people = {} as Record<PersonKind, SignedInUser>;
  let forged: Awaited<ReturnType<typeof forgedTokens>>;
  let shared: Target;
  let open: Target;

  /** A giveaway of the giver's that the winner entered first and the loser second; drawn unless `drawn` is false. */
  async function newTarget(options: { drawn?: boolean; proposal?: boolean; agreed?: boolean } = {}): Promise<Target> {
    const { giver, winner, loser } = people;
    const giveawayId = await createGiveaway(server, giver, "A matrix lamp");
    for (const entrant of [winner, loser]) {
      const entered = await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(entrant.auth);
      expect(entered.status).toBe(201);
    }
    const target: Target = { giveawayId, messageId: "", proposalId: "", attachmentId: "" };
    if (options.drawn === false) return target;
    const drawn = await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(giver.auth);
    expect(drawn.body.winnerId, "the server picks the first entrant").toBe(winner.id);
    target.messageId = (await send(server, giver, giveawayId, secretWords)).id;
    if (options.proposal || options.agreed) {
      const from = new Date(Date.now() + 24 * 3600_000);
      const proposed = await request(server.url)
        .post(`/api/giveaways/${giveawayId}/pickup/proposals`)
        .set(giver.auth)
        .send({ from: from.toISOString(), to: new Date(from.getTime() + 3600_000).toISOString(), place: secretPlace });
      expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
      target.proposalId = proposed.body.proposalId as string;
    }
    if (options.agreed) {
      const accepted = await request(server.url).post(`/api/giveaways/${giveawayId}/pickup/proposals/${target.proposalId}/accept`).set(winner.auth);
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    }
    return target;
  }

  beforeAll(async () => {
    // The first entrant wins every draw, so the winner and the losing entrant are known in advance.
    server = await startTestServer({ overrides: { pick: () => 0 } });
    for (const kind of personKinds) people[kind] = await signUp(server, kind);
    forged = await forgedTokens(server, people.giver);
    shared = await newTarget({ agreed: true });
    const uploaded = await request(server.url).post(`/api/giveaways/${shared.giveawayId}/attachments`).set(people.giver.auth).type("image/png").send(onePixelPng());
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    shared.attachmentId = uploaded.body.id as string;
    open = await newTarget({ drawn: false });
  });
  afterAll(() => server?.close());

  async function ask(route: MatrixRoute, kind: CredentialKind, target: Target, token: string | undefined): Promise<Answer> {
    const path = route.path
      .replace(":giveaway", target.giveawayId)
      .replace(":message", target.messageId)
      .replace(":proposal", target.proposalId)
      .replace(":attachment", target.attachmentId)
      .replace(":giver", people.giver.id);
    const headers: Record<string, string> = { ...credentialHeaders(token, route.via) };
    // Pages' writes come from our own pages (the origin check is not what this table tests).
    if (route.via === "cookie" && route.method !== "GET") headers.Origin = server.url;
    const asked = route.body?.({ freshName: uniqueName(kind), strangerName: people.stranger.username });
    const given = asked === undefined || Buffer.isBuffer(asked) ? asked : Object.fromEntries(Object.entries(asked).map(([name, value]) => [name, value === ":message" ? target.messageId : value]));
    let body: Buffer | undefined;
    if (Buffer.isBuffer(given)) {
      body = given;
      headers["Content-Type"] = "image/png";
    } else if (given !== undefined && route.via === "cookie") {
      body = Buffer.from(new URLSearchParams(given as Record<string, string>).toString());
      headers["Content-Type"] = "application/x-www-form-urlencoded";
    } else if (given !== undefined) {
      body = Buffer.from(JSON.stringify(given));
      headers["Content-Type"] = "application/json";
    }
    if (body) headers["Content-Length"] = String(body.length);
    return new Promise((resolve, reject) => {
      const req = http.request(`${server.url}${path}`, { method: route.method, headers, timeout: 10_000 }, (res) => {
        const answer = { status: res.statusCode ?? 0, location: res.headers.location, text: "" };
        // An open stream never ends: its status line is the answer.
        if (res.headers["content-type"]?.startsWith("text/event-stream")) {
          req.destroy();
          return resolve(answer);
        }
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (answer.text += chunk));
        res.on("end", () => resolve(answer));
      });
      req.on("timeout", () => req.destroy(new Error(`${route.method} ${path} timed out`)));
      req.on("error", reject);
      req.end(body);
    });
  }

  it("answers every route for every kind of credentials as the table says, and shows nobody else the conversation", async () => {
    const wrong: string[] = [];
    let cases = 0;
    // Routes that end sessions go last: "everywhere" ends the person's other sessions too.
    const ordered = [...matrixRoutes].sort((a, b) => Number(a.endsSessions ?? false) - Number(b.endsSessions ?? false));
    for (const route of ordered) {
      for (const kind of credentialKinds) {
        cases += 1;
        const person = kind in people ? people[kind as PersonKind] : undefined;
        let token = person ? person.token : kind === "none" ? undefined : forged[kind as keyof typeof forged];
        if (person && route.endsSessions) token = await signInAgain(server, person);
        const target = person && route.fresh ? await newTarget(route.fresh) : route.target === "open" ? open : shared;
        const answer = await ask(route, kind, target, token);
        const expected = route.expect[kind];
        if (!meets(expected, answer, route.unauthenticated)) {
          wrong.push(`${route.method} ${route.path} as ${kind}: expected ${expected}, got ${answer.status}${answer.location ? ` -> ${answer.location}` : ""} ${answer.text.slice(0, 120)}`);
        }
        if (expected === "signedOut" && token !== undefined) {
          const after = await request(server.url).get("/api/me").set("Authorization", `Bearer ${token}`);
          if (after.status !== 401) wrong.push(`${route.method} ${route.path} as ${kind}: the session still works afterwards (${after.status})`);
        }
        const mayRead = kind === "giver" || kind === "winner";
        if (!mayRead && (answer.text.includes(secretWords) || answer.text.includes(secretPlace))) {
          wrong.push(`${route.method} ${route.path} as ${kind}: the answer shows the conversation`);
        }
      }
    }
    // Sessions ended by the table's sign-outs: the people sign in again for whatever runs after.
    for (const kind of personKinds) people[kind].token = await signInAgain(server, people[kind]);
    console.log(`authorization matrix: ${matrixRoutes.length} routes x ${credentialKinds.length} kinds of credentials = ${cases} cases, ${wrong.length} wrong`);
    expect(wrong).toEqual([]);
    expect(cases).toBe(matrixRoutes.length * credentialKinds.length);
  }, 240_000);

  it("is a matrix that can fail: a stranger reading the conversation is caught", () => {
    const read = matrixRoutes.find((route) => route.method === "GET" && route.path === "/api/giveaways/:giveaway/messages")!;
    const leak: Answer = { status: 200, location: undefined, text: JSON.stringify({ messages: [{ content: secretWords }] }) };
    expect(meets(read.expect.stranger, leak, read.unauthenticated)).toBe(false);
    expect(meets(read.expect.winner, leak, read.unauthenticated)).toBe(true);
  });
});


// The edge fuzz's service-key dimension (its credentials are users'): fast-check over every
// /api/platform route with a live, revoked or forged service key, hostile platform ids, bodies and
// Idempotency-Keys. Each case: an answer below 500, the server still answering, and a refused call
// stores nothing but, at most, the platform users it named (PlatformUserLinked: a fact about the
// user, recorded before the giveaway's command decides). Replay: FUZZ_SEED=… FUZZ_RUNS=….
import fc from "fast-check";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { fuzzRoutes } from "./fuzzRoutes.ts";

const runs = Number(process.env.FUZZ_RUNS ?? 300);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

describe("platform API fuzz", () => {
  let server: TestServer;
  let live: string;
  let revoked: string;
  beforeAll(async () => {
    server = await startTestServer();
    live = await server.handoff.serviceKeys.create("fuzz");
    revoked = await server.handoff.serviceKeys.create("fuzz-revoked");
    await server.handoff.serviceKeys.revoke("fuzz-revoked");
    // A giveaway with two entrants, so draws, redraws and messages get past "no such giveaway".
    const auth = { Authorization: `Bearer ${live}` };
    expect((await request(server.url).put("/api/platform/giveaways/g1").set(auth).set("Idempotency-Key", "s1").send({ title: "Fuzz", giverId: "ann" })).status).toBe(201);
    for (const who of ["bo", "cy"]) expect((await request(server.url).put(`/api/platform/giveaways/g1/entrants/${who}`).set(auth).set("Idempotency-Key", `s-${who}`)).status).toBe(201);
    console.log(`platform fuzz: seed=${seed} runs=${runs}`);
  });
  afterAll(() => server?.close());

  it(`answers ${runs} hostile platform calls below 500, stays up, and stores nothing it refused`, async () => {
    const routes = fuzzRoutes.filter(([, path]) => path.startsWith("/api/platform/"));
    const hostile = fc.oneof(fc.constantFrom("%", "%00", "..", "x".repeat(65), "a.b", "ANN", "-", "_"), fc.string({ maxLength: 20 }).map((text) => encodeURIComponent(text) || "x"));
    const giveawayId = fc.oneof({ arbitrary: fc.constant("g1"), weight: 5 }, fc.constantFrom("g2", "ann"), hostile);
    const userId = fc.oneof({ arbitrary: fc.constantFrom("ann", "bo", "cy", "dee"), weight: 5 }, hostile);
    const auth = fc.oneof(
      { arbitrary: fc.constant(`Bearer ${live}`), weight: 4 },
      fc.constantFrom(`Bearer ${revoked}`, `Bearer hsk_fuzz_${"A".repeat(43)}`, "Bearer hsk_", "Bearer not.a.jwt", "Basic x", ""),
    );
    // Mostly a key of its own ("fresh"), else a reused, hostile or missing one.
    const idempotencyKey = fc.oneof(
      { arbitrary: fc.constant("fresh"), weight: 6 },
      { arbitrary: fc.option(fc.oneof(fc.constantFrom("k1", "k2", "k3", "x".repeat(256), "ü"), fc.string({ maxLength: 10 })), { nil: undefined }), weight: 2 },
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('{"title":"A bike","giverId":"ann"}', '{"winnerId":"bo"}', '{"winnerId":"cy"}', '{"content":"Reserved"}'),
      fc.constantFrom(
        '{"title":"A bike","giverId":"ann"}', '{"title":"","giverId":"ann"}', '{"title":"A bike","giverId":"dee"}', '{"title":"A bike","giverId":"a b"}',
        '{"winnerId":"bo"}', '{"winnerId":"cy"}', '{"winnerId":"dee"}', '{"winnerId":1}', '{"reason":"sold"}', '{"reason":5}',
        '{"content":"Reserved"}', '{"content":"   "}', "{", "[]", "null",
      ),
      fc.json({ maxDepth: 2 }),
    );

    const storedRefused = async (after: bigint) =>
      (await server.handoff.store.readAll({ fromPosition: after + 1n })).filter((event) => event.type !== "PlatformUserLinked").map((event) => `${event.streamId} ${event.type}`);
    let lastPosition = (await server.handoff.store.readAll()).at(-1)?.position ?? -1n;
    let cases = 0;
    const statuses: Record<number, number> = {};

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), giveawayId, userId, auth, idempotencyKey, body, async ([method, template], id, sub, authorization, idem, payload) => {
        cases += 1;
        const path = template.replace(":id", id).replaceAll(":sub", sub);
        let req = request(server.url)[method.toLowerCase() as "get" | "put" | "post" | "delete"](path);
        if (authorization !== "") req = req.set("Authorization", authorization);
        if (idem !== undefined) req = req.set("Idempotency-Key", idem === "fresh" ? `case-${seed}-${cases}` : idem);
        if (payload !== undefined) req = req.set("Content-Type", "application/json").send(payload);
        const answer = await req;
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        const described = `${method} ${path} ${authorization.slice(0, 20)} idem=${idem} ${payload}`;
        expect(answer.status, described).toBeLessThan(500);
        expect((await request(server.url).get("/healthz")).status, `after ${described}`).toBe(200);
        if (answer.status >= 400) expect(await storedRefused(lastPosition), `${described} was refused (${answer.status}) yet stored events`).toEqual([]);
        lastPosition = (await server.handoff.store.readAll()).at(-1)?.position ?? lastPosition;
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    console.log(`platform fuzz: seed=${seed} cases=${cases} statuses=${JSON.stringify(statuses)}`);
    expect(cases).toBe(runs);
  }, 300_000);
});

// Giveaways over the API: create, list, show, enter, draw, and the refusals of each.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventMetadataSchema } from "../../src/domain/eventMetadata.ts";
import { giveawayStream } from "../../src/domain/streams.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { createGiveaway, expectError, signUp } from "./apiFixtures.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("giveaways", () => {
  it("creates a giveaway (201) that the next GET shows at once", async () => {
    const giver = await signUp(server, "giver");
    const created = await request(server.url).post("/api/giveaways").set(giver.auth).send({ title: " Sofa ", description: "Blue, two seats" });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/giveaways/${created.body.id}`);
    expect(created.body).toMatchObject({
      title: "Sofa",
      description: "Blue, two seats",
      giverId: giver.id,
      giverName: giver.username,
      status: "open",
      entrantCount: 0,
      winnerId: null,
    });
    const shown = await request(server.url).get(`/api/giveaways/${created.body.id}`).set(giver.auth);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(created.body);
    const listed = await request(server.url).get("/api/giveaways").set(giver.auth);
    expect(listed.body.giveaways.map((g: { id: string }) => g.id)).toContain(created.body.id);
  });

  it("refuses a missing or too long title with 422 and anonymous callers with 401", async () => {
    const giver = await signUp(server, "giver");
    const missing = await request(server.url).post("/api/giveaways").set(giver.auth).send({});
    expectError(missing, 422, "invalid_field");
    expect(missing.body.error.message).toContain("title");
    expectError(await request(server.url).post("/api/giveaways").set(giver.auth).send({ title: "   " }), 422, "invalid_title");
    expectError(await request(server.url).post("/api/giveaways").set(giver.auth).send({ title: "x".repeat(121) }), 422, "invalid_title");
    expectError(await request(server.url).post("/api/giveaways").send({ title: "Sofa" }), 401, "unauthenticated");
    expectError(await request(server.url).get("/api/giveaways"), 401, "unauthenticated");
    expectError(await request(server.url).get("/api/giveaways?limit=0").set(giver.auth), 422, "invalid_field");
  });

  it("enters: 201 the first time, 200 again, counted once; the giver cannot enter", async () => {
    const [giver, entrant] = await Promise.all([signUp(server, "giver"), signUp(server, "entrant")]);
    const giveawayId = await createGiveaway(server, giver);
    const first = await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(entrant.auth);
    expect(first.status).toBe(201);
    expect(first.body.entrantCount).toBe(1);
    const again = await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(entrant.auth);
    expect(again.status).toBe(200);
    expect(again.body.entrantCount).toBe(1);
    expectError(await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(giver.auth), 403, "giver_cannot_enter");
    expectError(
      await request(server.url).post("/api/giveaways/0f8fad5b-d9cb-469f-a165-70867728950e/entries").set(entrant.auth),
      404,
      "giveaway_not_found",
    );
  });

  it("draws: giver only, 200 {winnerId, drawnAt}; not without entrants; not twice; no entries after", async () => {
    const [giver, entrant, late] = await Promise.all([signUp(server, "giver"), signUp(server, "entrant"), signUp(server, "late")]);
    const giveawayId = await createGiveaway(server, giver);
    expectError(await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(giver.auth), 409, "no_entrants");
    await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(entrant.auth).expect(201);
    expectError(await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(entrant.auth), 403, "not_giver");

    const drawn = await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(giver.auth);
    expect(drawn.status).toBe(200);
    expect(drawn.body).toMatchObject({ winnerId: entrant.id, winnerName: entrant.username, drawnAt: expect.any(String) });
    const shown = await request(server.url).get(`/api/giveaways/${giveawayId}`).set(late.auth);
    expect(shown.body).toMatchObject({ status: "drawn", winnerId: entrant.id, drawnAt: drawn.body.drawnAt });

    expectError(await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(giver.auth), 409, "already_drawn");
    expectError(await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(late.auth), 409, "already_drawn");
  });

  it("records who asked and which request in each event's metadata", async () => {
    const giver = await signUp(server, "giver");
    const created = await request(server.url).post("/api/giveaways").set(giver.auth).set("X-Request-Id", "req-create-1").send({ title: "Lamp" });
    const [event] = await server.handoff.store.readStream(giveawayStream(created.body.id));
    const metadata = EventMetadataSchema.parse(event!.metadata);
    expect(metadata).toMatchObject({ actorId: giver.id, correlationId: "req-create-1", causationId: "req-create-1" });
  });
});

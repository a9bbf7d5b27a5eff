// A conversation's messages over the API: send, retry by id, read back in order, and who may do either.
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { giveawayStream } from "../../src/domain/streams.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { createGiveaway, drawnGiveaway, expectError, send, signUp, type Conversation } from "./apiFixtures.ts";

let server: TestServer;
let talk: Conversation;
beforeAll(async () => {
  server = await startTestServer();
  talk = await drawnGiveaway(server);
});
afterAll(() => server.close());

const messagesUrl = () => `/api/giveaways/${talk.giveawayId}/messages`;

describe("sending", () => {
  it("answers 201 with the message, line breaks kept, and the next GET has it", async () => {
    const sent = await request(server.url).post(messagesUrl()).set(talk.winner.auth).send({ content: "  Hello!\nWhen can I come?  " });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      giveawayId: talk.giveawayId,
      senderId: talk.winner.id,
      senderName: talk.winner.username,
      kind: "user",
      content: "Hello!\nWhen can I come?",
      sentAt: expect.any(String),
      revision: expect.any(Number),
      replyTo: null,
      attachments: [],
      reactions: {},
      editedAt: null,
      retractedAt: null,
      hiddenByModerator: false,
      warning: null,
    });
    expect(new Date(sent.body.sentAt).toISOString()).toBe(sent.body.sentAt);
    const listed = await request(server.url).get(`${messagesUrl()}?after=${sent.body.revision - 1}`).set(talk.giver.auth);
    expect(listed.body.messages).toEqual([sent.body]);
  });

  it("stores a retried id once: 200 and the same message; other content under it is 409", async () => {
    const id = randomUUID();
    // One id format: an upper-case copy of an id is refused, never a second message.
    expectError(await request(server.url).post(messagesUrl()).set(talk.giver.auth).send({ content: "Saturday?", id: id.toUpperCase() }), 422, "invalid_field");
    const first = await request(server.url).post(messagesUrl()).set(talk.giver.auth).send({ content: "Saturday?", id });
    expect(first.status).toBe(201);
    expect(first.body.id).toBe(id);
    const again = await request(server.url).post(messagesUrl()).set(talk.giver.auth).send({ content: "Saturday?", id });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expectError(await request(server.url).post(messagesUrl()).set(talk.giver.auth).send({ content: "Sunday?", id }), 409, "message_id_conflict");
    expectError(await request(server.url).post(messagesUrl()).set(talk.winner.auth).send({ content: "Saturday?", id }), 409, "message_id_conflict");

    const events = await server.handoff.store.readStream(giveawayStream(talk.giveawayId));
    expect(events.filter((event) => event.id === id.toLowerCase())).toHaveLength(1);
  });

  it("refuses bad fields with 422", async () => {
    expectError(await request(server.url).post(messagesUrl()).set(talk.giver.auth).send({ content: "x", id: "not-a-uuid" }), 422, "invalid_field");
    expectError(await request(server.url).post(messagesUrl()).set(talk.giver.auth).send({ content: "   " }), 422, "invalid_content");
    expectError(await request(server.url).post(messagesUrl()).set(talk.giver.auth).send({ content: "x".repeat(2001) }), 422, "invalid_content");
    const missing = await request(server.url).post(messagesUrl()).set(talk.giver.auth).send({});
    expectError(missing, 422, "invalid_field");
    expect(missing.body.error.message).toContain("content");
  });

  it("refuses outsiders (403), unknown giveaways (404) and anonymous callers (401)", async () => {
    expectError(await request(server.url).post(messagesUrl()).set(talk.outsider.auth).send({ content: "hi" }), 403, "not_participant");
    expectError(
      await request(server.url).post(`/api/giveaways/${randomUUID()}/messages`).set(talk.giver.auth).send({ content: "hi" }),
      404,
      "giveaway_not_found",
    );
    expectError(await request(server.url).post(messagesUrl()).send({ content: "hi" }), 401, "unauthenticated");
  });

  it("refuses sending before the draw with 409 conversation_closed", async () => {
    const [giver, entrant] = await Promise.all([signUp(server, "giver"), signUp(server, "entrant")]);
    const giveawayId = await createGiveaway(server, giver);
    await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(entrant.auth).expect(201);
    const url = `/api/giveaways/${giveawayId}/messages`;
    expectError(await request(server.url).post(url).set(giver.auth).send({ content: "hi" }), 409, "conversation_closed");
    expectError(await request(server.url).post(url).set(entrant.auth).send({ content: "hi" }), 409, "conversation_closed");
    expectError(await request(server.url).get(url).set(giver.auth), 409, "conversation_closed");
  });
});

describe("reading", () => {
  it("lists in revision order, after a revision and up to a limit; without after, the newest", async () => {
    const conversation = await drawnGiveaway(server);
    const url = `/api/giveaways/${conversation.giveawayId}/messages`;
    const sent = [];
    for (let i = 1; i <= 5; i++) sent.push(await send(server, i % 2 ? conversation.giver : conversation.winner, conversation.giveawayId, `m${i}`));

    const all = await request(server.url).get(`${url}?after=-1`).set(conversation.winner.auth);
    expect(all.status).toBe(200);
    expect(all.body.messages.map((m: { content: string }) => m.content)).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    const revisions = all.body.messages.map((m: { revision: number }) => m.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));

    const page = await request(server.url).get(`${url}?after=${sent[1]!.revision}&limit=2`).set(conversation.giver.auth);
    expect(page.body.messages.map((m: { content: string }) => m.content)).toEqual(["m3", "m4"]);
    const newest = await request(server.url).get(`${url}?limit=2`).set(conversation.giver.auth);
    expect(newest.body.messages.map((m: { content: string }) => m.content)).toEqual(["m4", "m5"]);
  });

  it("refuses bad after/limit with 422, outsiders with 403 and unknown giveaways with 404", async () => {
    for (const query of ["after=-2", "after=abc", "after=1.5", "limit=0", "limit=1001", "after="]) {
      const response = await request(server.url).get(`${messagesUrl()}?${query}`).set(talk.giver.auth);
      expectError(response, 422, "invalid_field");
    }
    expectError(await request(server.url).get(messagesUrl()).set(talk.outsider.auth), 403, "not_participant");
    expectError(await request(server.url).get(`/api/giveaways/${randomUUID()}/messages`).set(talk.giver.auth), 404, "giveaway_not_found");
  });
});

// The answer to a send: made from the event the send appended, and to the byte what the
// conversation then lists for that message (a plain one, a reply, one with files).
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { onePixelPng } from "../support/sampleFiles.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, type Conversation, type SignedInUser } from "./apiFixtures.ts";

let server: TestServer;
let talk: Conversation;
beforeAll(async () => {
  server = await startTestServer();
  talk = await drawnGiveaway(server);
});
afterAll(() => server.close());

const messagesUrl = () => `/api/giveaways/${talk.giveawayId}/messages`;
const upload = (who: SignedInUser) =>
  request(server.url).post(`/api/giveaways/${talk.giveawayId}/attachments`).set(who.auth).set("Content-Type", "image/png").send(onePixelPng());

/** Sends, then reads the conversation as the sender: the answer's text and the listed message's, as JSON text. */
async function sentAndListed(from: SignedInUser, body: Record<string, unknown>): Promise<{ answered: string; listed: string; status: number }> {
  const sent = await request(server.url).post(messagesUrl()).set(from.auth).send(body);
  expect(sent.status, sent.text).toBe(201);
  const listed = await request(server.url).get(`${messagesUrl()}?after=${sent.body.revision - 1}&limit=1`).set(from.auth);
  expect(listed.body.messages).toHaveLength(1);
  // The GET's array keeps its members' key order: stringified again, it is the bytes the GET sent.
  return { answered: sent.text, listed: JSON.stringify(listed.body.messages[0]), status: sent.status };
}

describe("the answer to a send", () => {
  it("is, to the byte, what the conversation lists for a plain message", async () => {
    const { answered, listed } = await sentAndListed(talk.winner, { content: "  Saturday at ten?  " });
    expect(answered).toBe(listed);
  });

  it("is, to the byte, what the conversation lists for a reply", async () => {
    const quoted = await request(server.url).post(messagesUrl()).set(talk.giver.auth).send({ content: "Which day suits you?" });
    const { answered, listed } = await sentAndListed(talk.winner, { content: "Sunday", replyTo: quoted.body.id });
    expect(JSON.parse(answered).replyTo).toBe(quoted.body.id);
    expect(answered).toBe(listed);
  });

  it("is, to the byte, what the conversation lists for a message with files, also a file attached again after a removal", async () => {
    const [first, second] = [(await upload(talk.giver)).body, (await upload(talk.giver)).body];
    const carried = await sentAndListed(talk.giver, { content: "Photos", attachmentIds: [second.id, first.id] });
    expect(JSON.parse(carried.answered).attachments.map((ref: { id: string }) => ref.id)).toEqual([second.id, first.id]);
    expect(carried.answered).toBe(carried.listed);

    await request(server.url).delete(`${messagesUrl()}/${JSON.parse(carried.answered).id}`).set(talk.giver.auth).expect(204);
    const again = await sentAndListed(talk.giver, { content: "Once more", attachmentIds: [first.id] });
    expect(JSON.parse(again.answered).attachments).toEqual([first]);
    expect(again.answered).toBe(again.listed);
  });

  it("is made from the event the send appended, not read back; a retried id (200) is read back", async () => {
    const readBack = vi.spyOn(server.handoff.queries, "messageById");
    try {
      const id = randomUUID();
      const sent = await request(server.url).post(messagesUrl()).set(talk.winner.auth).send({ content: "On my way", id });
      expect(sent.status).toBe(201);
      expect(readBack).not.toHaveBeenCalled();
      const again = await request(server.url).post(messagesUrl()).set(talk.winner.auth).send({ content: "On my way", id });
      expect(again.status).toBe(200);
      expect(again.text).toBe(sent.text);
      expect(readBack).toHaveBeenCalledTimes(1);
    } finally {
      readBack.mockRestore();
    }
  });
});

// `?minRevision=` names a revision a command answered with. One the store has never had is the
// client's mistake: 409 revision_ahead at once (API and pages alike), not a 5 s wait ending in 503.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, send, type Conversation } from "./apiFixtures.ts";

let server: TestServer;
let talk: Conversation;
beforeAll(async () => {
  server = await startTestServer();
  talk = await drawnGiveaway(server);
});
afterAll(() => server.close());

describe("a minRevision beyond the stream's head", () => {
  it("is refused with 409 revision_ahead on the API, naming the newest revision", async () => {
    const sent = await send(server, talk.giver, talk.giveawayId, "the newest");
    for (const path of [`/api/giveaways/${talk.giveawayId}`, `/api/giveaways/${talk.giveawayId}/messages`]) {
      const ahead = await request(server.url).get(`${path}?minRevision=${sent.revision + 1000}`).set(talk.giver.auth);
      expect(ahead.status, path).toBe(409);
      expect(ahead.body.error.code).toBe("revision_ahead");
      expect(ahead.body.error.message).toContain(`(${sent.revision})`);
      const reached = await request(server.url).get(`${path}?minRevision=${sent.revision}`).set(talk.giver.auth);
      expect(reached.status, path).toBe(200);
    }
  });

  it("is a readable 409 page on the chat, and an unknown giveaway stays a 404", async () => {
    const page = await request(server.url).get(`/messages/${talk.giveawayId}?minRevision=999999`).set("Cookie", `handoff_session=${talk.giver.token}`);
    expect(page.status, page.text.slice(0, 3000)).toBe(409);
    expect(page.type).toBe("text/html");
    const unknown = await request(server.url).get(`/api/giveaways/00000000-0000-4000-8000-000000000000?minRevision=5`).set(talk.giver.auth);
    expect(unknown.status).toBe(404);
  });
});

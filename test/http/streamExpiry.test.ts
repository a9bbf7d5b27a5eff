// A stream ends when the token it was opened with expires; an expired token opens none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway, tokenFor as sessionToken, type Conversation } from "./apiFixtures.ts";
import { connectSse, type SseConnection } from "../support/sseClient.ts";

let server: TestServer;
let talk: Conversation;
const open: SseConnection[] = [];
beforeAll(async () => {
  server = await startTestServer();
  talk = await drawnGiveaway(server);
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await server.close();
});

/** A token for the giver from the server's own secret, living `seconds`. */
function tokenFor(seconds: number): string {
  return sessionToken(server.handoff.config.jwtSecret!, { id: talk.giver.id, username: talk.giver.username }, seconds).token;
}

describe("stream lifetime", () => {
  for (const path of ["/api/giveaways/:id/stream", "/api/me/stream"]) {
    it(`${path} ends with an "expired" event when its token expires`, async () => {
      const url = `${server.url}${path.replace(":id", talk.giveawayId)}`;
      const connection = await connectSse(url, { Authorization: `Bearer ${tokenFor(2)}` });
      open.push(connection);
      expect(connection.status).toBe(200);
      await connection.ended; // the test's own timeout bounds the wait
      expect(connection.events.at(-1)?.event).toBe("expired");

      const expired = await connectSse(url, { Authorization: `Bearer ${tokenFor(-10)}` });
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual({ error: { code: "invalid_token", message: expect.any(String) } });
    });
  }
});

// A history larger than a stream's send queue still arrives whole: history is paced by the client's reads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { drawnGiveaway } from "./apiFixtures.ts";
import { connectSse, messagesIn } from "../support/sseClient.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { SSE_MAX_QUEUED_BYTES: "65536" } });
});
afterAll(async () => {
  await server.close();
});

describe("a long history over a stream", () => {
  it("arrives complete and in order even when it is many times the send queue limit", async () => {
    const talk = await drawnGiveaway(server);
    const { handoff } = server;
    const content = "x".repeat(1500);
    let revision = 0n;
    for (let i = 0; i < 600; i++) {
      const result = await handoff.commands(
        talk.giveawayId,
        { type: "SendMessage", messageId: handoff.newId(), senderId: talk.giver.id, content: `${i} ${content}`, now: handoff.now() },
        { actorId: talk.giver.id, correlationId: "seed", causationId: "seed" },
      );
      if (!result.ok) throw new Error(result.error.message);
      revision = result.revision;
    }
    await handoff.readYourWrites.waitForGiveaway(talk.giveawayId, revision, 5000);

    const connection = await connectSse(`${server.url}/api/giveaways/${talk.giveawayId}/stream?after=-1`, talk.winner.auth);
    await expect.poll(() => messagesIn(connection.events).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(600);
    connection.close();
    const received = messagesIn(connection.events);
    expect(received.map((m) => Number(m.content.split(" ")[0]))).toEqual(Array.from({ length: 600 }, (_, i) => i));
  });
});

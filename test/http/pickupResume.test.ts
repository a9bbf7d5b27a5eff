// The conversation stream's history carries pickup frames as well as messages (id = revision), so
// a client resuming by Last-Event-ID misses no proposal; each winner replays only their own round.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { connectSse, type SseConnection } from "../support/sseClient.ts";
import { send, type SignedInUser } from "./apiFixtures.ts";
import { drawnAmong, movableClock } from "./pickupFixtures.ts";

const clock = movableClock();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ overrides: { now: clock.now, pick: () => 0 } });
});
afterAll(() => server.close());

const api = () => request(server.url);
const durable = (stream: SseConnection) => stream.events.filter((frame) => frame.id !== undefined).map((frame) => ({ id: Number(frame.id), event: frame.event }));

async function replay(user: SignedInUser, giveawayId: string, lastEventId: number, expectedCount: number) {
  const stream = await connectSse(`${server.url}/api/giveaways/${giveawayId}/stream`, { ...user.auth, "Last-Event-ID": String(lastEventId) });
  await expect.poll(() => durable(stream).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(expectedCount);
  stream.close();
  return durable(stream);
}

describe("pickup frames in the stream's history", () => {
  it("replays proposals and the redraw by revision, per round: the giver all, each winner their own", async () => {
    const { giveawayId, giver, entrants } = await drawnAmong(server, 2);
    const [first, second] = entrants as [SignedInUser, SignedInUser];
    const base = `/api/giveaways/${giveawayId}`;
    const hello = await send(server, giver, giveawayId, "Hello first winner");
    const proposal = await api().post(`${base}/pickup/proposals`).set(giver.auth).send({ from: clock.inHours(24), to: clock.inHours(25), place: "Main St 1" });
    expect(proposal.status).toBe(201);
    expect((await api().post(`${base}/decline`).set(first.auth)).status).toBe(200);
    expect((await api().post(`${base}/redraw`).set(giver.auth)).body.winnerId).toBe(second.id);
    const secondProposal = await api().post(`${base}/pickup/proposals`).set(second.auth).send({ from: clock.inHours(30), to: clock.inHours(31), place: "Oak Rd 2" });
    expect(secondProposal.status).toBe(201);
    const events = (await api().get(`${base}/events`).set(giver.auth)).body.events as { revision: number; type: string }[];
    const revisionOf = (type: string, nth = 0) => events.filter((event) => event.type === type)[nth]!.revision;
    const [proposed1, declined, redrawn, proposed2] = [revisionOf("PickupProposed"), revisionOf("PrizeDeclined"), revisionOf("WinnerRedrawn"), revisionOf("PickupProposed", 1)];

    // The giver, resuming just after the first message, gets every pickup frame, in order, id = revision.
    const giverFrames = await replay(giver, giveawayId, hello.revision, 4);
    expect(giverFrames).toEqual([
      { id: proposed1, event: "pickup" },
      { id: declined, event: "pickup" },
      { id: redrawn, event: "pickup" },
      { id: proposed2, event: "pickup" },
    ]);
    // Resuming after the first proposal starts right after it.
    expect((await replay(giver, giveawayId, proposed1, 3)).map((frame) => frame.id)).toEqual([declined, redrawn, proposed2]);

    // The first winner: their round and the redraw that ended it; never the second round's proposal.
    const firstFrames = await replay(first, giveawayId, -1, 4);
    expect(firstFrames.filter((frame) => frame.event === "pickup").map((frame) => frame.id)).toEqual([proposed1, declined, redrawn]);
    // The second winner: the redraw that made them winner and their own proposal; not the first round's.
    const secondFrames = await replay(second, giveawayId, -1, 2);
    const secondPickups = secondFrames.filter((frame) => frame.event === "pickup").map((frame) => frame.id);
    expect(secondPickups).toEqual([redrawn, proposed2]);
    expect(secondFrames.map((frame) => frame.id)).not.toContain(hello.revision);
  });
});

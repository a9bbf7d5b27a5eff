// A client that reconnects with Last-Event-ID after missing pickup steps (proposal, accept, both
// handovers and the completion; a prize declined, the redraw, the cancel) gets exactly those
// frames, in order, id = revision, on the API stream and on the chat page's stream.
import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { connectSse, type SseConnection, type SseFrame } from "../support/sseClient.ts";
import { send, type SignedInUser } from "./apiFixtures.ts";
import { drawnAmong, movableClock } from "./pickupFixtures.ts";

const clock = movableClock();
let server: TestServer;
const opened: SseConnection[] = [];
beforeAll(async () => {
  server = await startTestServer({ overrides: { now: clock.now, pick: () => 0 } });
});
afterEach(() => {
  for (const stream of opened.splice(0)) stream.close();
});
afterAll(() => server.close());

const api = () => request(server.url);

async function ok(response: Promise<{ status: number; body: unknown }>, status = 200) {
  const answer = await response;
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
}

/** The stored revision and type of every event, from the giver's audit. */
async function storedEvents(giver: SignedInUser, giveawayId: string): Promise<{ revision: number; type: string }[]> {
  return (await api().get(`/api/giveaways/${giveawayId}/events`).set(giver.auth)).body.events;
}

type Way = "api" | "page";
const streamUrl = (way: Way, giveawayId: string) => (way === "api" ? `${server.url}/api/giveaways/${giveawayId}/stream` : `${server.url}/messages/${giveawayId}/stream`);
const credentials = (way: Way, user: SignedInUser) => (way === "api" ? user.auth : { Cookie: `handoff_session=${user.token}` });

/**
 * Reconnects as `user` after `lastEventId`, then sends a message as a marker: the pickup frames
 * before the marker are what the resume gave.
 */
async function resumedFrames(way: Way, user: SignedInUser, giveawayId: string, lastEventId: number, marker: SignedInUser): Promise<SseFrame[]> {
  const stream = await connectSse(streamUrl(way, giveawayId), { ...credentials(way, user), "Last-Event-ID": String(lastEventId) });
  opened.push(stream);
  expect(stream.status).toBe(200);
  const sent = await send(server, marker, giveawayId, `marker after ${lastEventId} for ${user.username} (${way})`);
  await expect.poll(() => stream.events.some((frame) => Number(frame.id) === sent.revision)).toBe(true);
  const durable = stream.events.filter((frame) => frame.id !== undefined);
  const resumed = durable.slice(0, durable.findIndex((frame) => Number(frame.id) === sent.revision));
  // Besides the pickup frames, only messages: the markers of earlier resumes, which this client missed too.
  const others = resumed.filter((frame) => !isPickupFrame(way, frame));
  for (const frame of others) expect(way === "api" ? frame.event : frame.data).toMatch(way === "api" ? /^message$/ : /class="message /);
  return resumed.filter((frame) => isPickupFrame(way, frame));
}

/** The API names pickup frames; the page's carry the pickup panel. */
function isPickupFrame(way: Way, frame: SseFrame): boolean {
  return way === "api" ? frame.event === "pickup" : frame.data.includes('id="pickup-panel"');
}

/** What each resumed pickup frame says it is: the API names the event type in its JSON; a page frame is the panel. */
function described(way: Way, frame: SseFrame): { id: number; type: string } {
  return { id: Number(frame.id), type: way === "api" ? (JSON.parse(frame.data) as { type: string }).type : "page" };
}

describe.each<Way>(["api", "page"])("resume after missed pickup steps (%s stream)", (way) => {
  it("proposal, accept, both handovers and the completion: exactly those frames, for the giver and the winner", async () => {
    const { giveawayId, giver, entrants } = await drawnAmong(server, 1);
    const winner = entrants[0]!;
    const base = `/api/giveaways/${giveawayId}`;
    const seen = await send(server, giver, giveawayId, "Congratulations!");
    // Both are away while the pickup happens.
    const proposal = await api().post(`${base}/pickup/proposals`).set(giver.auth).send({ from: clock.inHours(24), to: clock.inHours(25), place: "Main St 1" });
    expect(proposal.status).toBe(201);
    await ok(api().post(`${base}/pickup/proposals/${proposal.body.proposalId}/accept`).set(winner.auth));
    await ok(api().post(`${base}/handover`).set(giver.auth));
    await ok(api().post(`${base}/handover`).set(winner.auth));
    const missed = (await storedEvents(giver, giveawayId)).filter((event) => event.revision > seen.revision);
    expect(missed.map((event) => event.type)).toEqual(["PickupProposed", "PickupProposalAccepted", "HandoverConfirmed", "HandoverConfirmed", "GiveawayCompleted"]);

    for (const user of [giver, winner]) {
      const frames = await resumedFrames(way, user, giveawayId, seen.revision, giver);
      const expected = missed.map((event) => ({ id: event.revision, type: way === "api" ? event.type : "page" }));
      expect(frames.map((frame) => described(way, frame))).toEqual(expected);
    }
    // Resuming in the middle starts right after the last step seen.
    const fromAccept = await resumedFrames(way, winner, giveawayId, missed[1]!.revision, giver);
    expect(fromAccept.map((frame) => Number(frame.id))).toEqual(missed.slice(2).map((event) => event.revision));
  });

  it("prize declined, redraw and cancel: the giver gets all three, each winner the ones that are theirs", async () => {
    const { giveawayId, giver, entrants } = await drawnAmong(server, 2);
    const [first, second] = entrants as [SignedInUser, SignedInUser];
    const base = `/api/giveaways/${giveawayId}`;
    const seen = await send(server, giver, giveawayId, "Still there?");
    await ok(api().post(`${base}/decline`).set(first.auth));
    await ok(api().post(`${base}/redraw`).set(giver.auth));
    await ok(api().post(`${base}/cancel`).set(giver.auth).send({ reason: "sold out" }));
    const missed = (await storedEvents(giver, giveawayId)).filter((event) => event.revision > seen.revision);
    expect(missed.map((event) => event.type)).toEqual(["PrizeDeclined", "WinnerRedrawn", "GiveawayCancelled"]);
    const [declined, redrawn, cancelled] = missed.map((event) => event.revision) as [number, number, number];
    const ids = (frames: SseFrame[]) => frames.map((frame) => Number(frame.id));

    expect(ids(await resumedFrames(way, giver, giveawayId, seen.revision, giver))).toEqual([declined, redrawn, cancelled]);
    // The new winner resumes from before their round: the redraw that made them winner and the cancel; nothing of the first round.
    const asSecond = await resumedFrames(way, second, giveawayId, seen.revision, giver);
    expect(ids(asSecond)).toEqual([redrawn, cancelled]);
    if (way === "api") expect(asSecond.map((frame) => (JSON.parse(frame.data) as { type: string }).type)).toEqual(["WinnerRedrawn", "GiveawayCancelled"]);
  });
});

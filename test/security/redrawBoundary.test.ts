// After a decline and a redraw, each winner has only their own round: an attachment of the other
// round is not theirs to fetch (as its message is not theirs to read), while the giver fetches both;
// and the replaced winner, who may still read, may not write, typing signals included.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, type SignedInUser } from "../http/apiFixtures.ts";
import { drawnAmong } from "../http/pickupFixtures.ts";
import { connectSse, framesNamed } from "../support/sseClient.ts";
import { onePixelPng } from "../support/sampleFiles.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

let server: TestServer;
let giveawayId: string;
let giver: SignedInUser;
let former: SignedInUser;
let current: SignedInUser;
/** Attachment ids uploaded in each round. */
const firstRound: string[] = [];
const secondRound: string[] = [];

const api = () => request(server.url);
const upload = async (who: SignedInUser) => {
  const uploaded = await api().post(`/api/giveaways/${giveawayId}/attachments`).set(who.auth).set("Content-Type", "image/png").send(onePixelPng());
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  return uploaded.body.id as string;
};
const fetchAttachment = (who: SignedInUser, attachmentId: string) => api().get(`/api/giveaways/${giveawayId}/attachments/${attachmentId}`).set(who.auth);

beforeAll(async () => {
  // pick 0: the first entrant wins the draw, the second the redraw.
  server = await startTestServer({ overrides: { pick: () => 0 } });
  const drawn = await drawnAmong(server, 2);
  ({ giveawayId, giver } = drawn);
  [former, current] = drawn.entrants as [SignedInUser, SignedInUser];
  firstRound.push(await upload(former), await upload(giver));
  expect((await api().post(`/api/giveaways/${giveawayId}/decline`).set(former.auth)).status).toBe(200);
  const redrawn = await api().post(`/api/giveaways/${giveawayId}/redraw`).set(giver.auth);
  expect(redrawn.body).toMatchObject({ winnerId: current.id, previousWinnerId: former.id });
  secondRound.push(await upload(current), await upload(giver));
});
afterAll(() => server.close());

describe("attachments across a redraw", () => {
  it("the former winner cannot fetch the new round's attachments, but still their own round's", async () => {
    for (const id of secondRound) expectError(await fetchAttachment(former, id), 404, "attachment_not_found");
    for (const id of firstRound) expect((await fetchAttachment(former, id)).status).toBe(200);
  });

  it("the new winner cannot fetch the former round's attachments, but their own round's", async () => {
    for (const id of firstRound) expectError(await fetchAttachment(current, id), 404, "attachment_not_found");
    for (const id of secondRound) expect((await fetchAttachment(current, id)).status).toBe(200);
  });

  it("the giver fetches both rounds'", async () => {
    for (const id of [...firstRound, ...secondRound]) expect((await fetchAttachment(giver, id)).status).toBe(200);
  });
});

describe("typing across a redraw", () => {
  it("the former winner's typing is refused (403) and reaches nobody; the new winner's reaches the giver", async () => {
    const stream = await connectSse(`${server.url}/api/giveaways/${giveawayId}/stream?after=-1`, giver.auth);
    expect(stream.status).toBe(200);
    expectError(await api().post(`/api/giveaways/${giveawayId}/typing`).set(former.auth), 403, "not_participant");
    // Signals travel in order: once the new winner's has arrived, the refused one would have come before it.
    expect((await api().post(`/api/giveaways/${giveawayId}/typing`).set(current.auth)).status).toBe(204);
    await expect.poll(() => framesNamed(stream.events, "typing").length).toBeGreaterThan(0);
    expect(framesNamed(stream.events, "typing").map((frame) => JSON.parse(frame.data).userId)).toEqual([current.id]);
    stream.close();
  });
});

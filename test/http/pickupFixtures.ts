// A movable clock and giveaways drawn among several entrants, for the pickup's HTTP tests.
import request from "supertest";
import { expect } from "vitest";
import type { TestServer } from "../support/testServer.ts";
import { createGiveaway, signUp, type SignedInUser } from "./apiFixtures.ts";

export const hour = 3600_000;

/** The server's clock: real time plus whatever the test has moved it by. */
export function movableClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms: number) {
      offsetMs += ms;
    },
    /** An instant `hours` from the server's now, as ISO text. */
    inHours: (hours: number) => new Date(Date.now() + offsetMs + hours * hour).toISOString(),
  };
}

export interface DrawnAmong {
  giveawayId: string;
  giver: SignedInUser;
  /** In entry order; with the tests' pick of index 0, entrants[0] wins the draw and entrants[1] the first redraw. */
  entrants: SignedInUser[];
  outsider: SignedInUser;
}

export async function drawnAmong(server: TestServer, entrantCount: number): Promise<DrawnAmong> {
  const giver = await signUp(server, "giver");
  const outsider = await signUp(server, "outsider");
  const entrants: SignedInUser[] = [];
  for (let i = 0; i < entrantCount; i++) entrants.push(await signUp(server, `entrant${i}`));
  const giveawayId = await createGiveaway(server, giver, "A bike");
  for (const entrant of entrants) {
    const entered = await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(entrant.auth);
    expect(entered.status).toBe(201);
  }
  const drawn = await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(giver.auth);
  expect(drawn.body.winnerId).toBe(entrants[0]!.id);
  return { giveawayId, giver, entrants, outsider };
}

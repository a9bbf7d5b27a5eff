// Users, giveaways and conversations made through the real API, for the HTTP tests.
import { randomUUID } from "node:crypto";
import request from "supertest";
import { createTokenService } from "../../src/app/tokens.ts";
import { expect } from "vitest";
import type { TestServer } from "../support/testServer.ts";

export interface SignedInUser {
  id: string;
  username: string;
  token: string;
  auth: { Authorization: string };
}

let counter = 0;

/** A username no other call in this process has used. */
export function uniqueName(prefix = "user"): string {
  counter += 1;
  return `${prefix}${process.pid}_${counter}`;
}

export const password = "correct horse battery";

export async function signUp(server: TestServer, prefix = "user"): Promise<SignedInUser> {
  const username = uniqueName(prefix);
  const created = await request(server.url).post("/api/users").send({ username, password });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const signedIn = await request(server.url).post("/api/tokens").send({ username, password });
  expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(201);
  const token = signedIn.body.token as string;
  return { id: created.body.id, username, token, auth: { Authorization: `Bearer ${token}` } };
}

export async function createGiveaway(server: TestServer, giver: SignedInUser, title = "A sofa"): Promise<string> {
  const created = await request(server.url).post("/api/giveaways").set(giver.auth).send({ title });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

export interface Conversation {
  giveawayId: string;
  giver: SignedInUser;
  winner: SignedInUser;
  /** Signed in, but neither giver nor winner. */
  outsider: SignedInUser;
}

/** A giveaway with one entrant, drawn: its giver and winner may now talk. */
export async function drawnGiveaway(server: TestServer): Promise<Conversation> {
  const [giver, winner, outsider] = await Promise.all([signUp(server, "giver"), signUp(server, "winner"), signUp(server, "outsider")]);
  const giveawayId = await createGiveaway(server, giver);
  const entered = await request(server.url).post(`/api/giveaways/${giveawayId}/entries`).set(winner.auth);
  expect(entered.status).toBe(201);
  const drawn = await request(server.url).post(`/api/giveaways/${giveawayId}/draw`).set(giver.auth);
  expect(drawn.status, JSON.stringify(drawn.body)).toBe(200);
  return { giveawayId, giver, winner, outsider };
}

export async function send(server: TestServer, from: SignedInUser, giveawayId: string, content: string, id?: string) {
  const sent = await request(server.url)
    .post(`/api/giveaways/${giveawayId}/messages`)
    .set(from.auth)
    .send(id === undefined ? { content } : { content, id });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  return sent.body as { id: string; revision: number; content: string };
}

export function expectError(response: { status: number; body: unknown }, status: number, code: string): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { error: { code, message: expect.any(String) } },
  });
}

/** A token signed with `secret` for a fresh session of `user`, living `seconds` (negative: already expired). */
export function tokenFor(secret: string, user: { id: string; username: string }, seconds = 3600): { token: string; expiresAt: Date } {
  const startedAt = new Date();
  return createTokenService(secret, { hasEnded: () => false, isSuspended: () => false }).issue(user, {
    sessionId: randomUUID(),
    startedAt,
    expiresAt: new Date(startedAt.getTime() + seconds * 1000),
  });
}

/** A JSON API call as `user` over fetch (as a browser test's setup does); anything but a 2xx is thrown (an empty answer is {}). */
export async function callApi(baseUrl: string, user: SignedInUser, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${user.token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

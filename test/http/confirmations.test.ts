// Without script, an action that cannot be taken back asks on a page first (issue 27): the chat's
// "More" items and a message's Remove lead to a GET page (nothing changes) whose form posts to the
// existing route. Each page is its person's only: the others get the refusal the chat gives them.
import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { pageUser, sessionCookieOf, type PageUser } from "../pages/pageSession.ts";
import { password, send, type SignedInUser } from "./apiFixtures.ts";
import { drawnAmong, hour, movableClock } from "./pickupFixtures.ts";

const clock = movableClock();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ overrides: { now: clock.now, pick: () => 0 } });
});
afterAll(() => server?.close());

async function pageSignIn(user: SignedInUser): Promise<PageUser> {
  const answer = await request(server.url).post("/signin").set("Origin", server.url).type("form").send({ username: user.username, password });
  expect(answer.status).toBe(303);
  return pageUser(server, user.username, sessionCookieOf(answer));
}

/** A drawn giveaway and its people signed in to the pages: the giver, the winner, another entrant, an outsider. */
async function stage() {
  const drawn = await drawnAmong(server, 2);
  const [giver, winner, loser, outsider] = await Promise.all([drawn.giver, drawn.entrants[0]!, drawn.entrants[1]!, drawn.outsider].map(pageSignIn));
  return { ...drawn, giver: giver!, winner: winner!, loser: loser!, outsider: outsider!, accounts: drawn };
}

/** The form a confirmation page carries: where it posts, and its hidden fields. */
function formOf(html: string): { action: string; hidden: Record<string, string> } {
  const form = /<form method="post" action="([^"]+)" class="confirm-form"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error("no confirmation form on the page");
  const hidden = Object.fromEntries([...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
  return { action: form[1]!, hidden };
}

/** People outside the conversation get what the chat itself answers them (403 or 404), never the question. */
async function expectRefusedLikeTheChat(people: PageUser[], giveawayId: string, path: string): Promise<void> {
  for (const person of people) {
    const page = await person.get(path);
    expect([403, 404], `${person.username} on ${path}`).toContain(page.status);
    expect(page.status).toBe((await person.get(`/messages/${giveawayId}`)).status);
    expect(page.text).not.toContain('class="confirm-form"');
  }
}

describe("confirmation pages without script", () => {
  it("Decline the prize: the chat links to the question, the winner's page posts to /decline, nobody else gets it", async () => {
    const { giveawayId, giver, winner, loser, outsider } = await stage();
    const chat = await winner.get(`/messages/${giveawayId}`);
    expect(chat.text).toContain(`href="/messages/${giveawayId}/decline"`);
    expect(chat.text).not.toMatch(new RegExp(`<form method="post" action="/messages/${giveawayId}/decline"><button`)); // no one-click decline

    const page = await winner.get(`/messages/${giveawayId}/decline`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Decline the prize?");
    expect(page.text).toContain("The giver will draw someone else");
    expect(page.text).toContain(`<a class="button confirm-dismiss" href="/messages/${giveawayId}#pickup-panel">Cancel</a>`);
    expect(formOf(page.text).action).toBe(`/messages/${giveawayId}/decline`);
    expect(server.handoff.queries.pickupRow(giveawayId)?.prizeDeclinedAt ?? null).toBeNull(); // asking changed nothing

    await expectRefusedLikeTheChat([loser, outsider], giveawayId, `/messages/${giveawayId}/decline`);
    expect((await giver.get(`/messages/${giveawayId}/decline`)).status).toBe(403);
    expect((await winner.get(`/messages/${randomUUID()}/decline`)).status).toBe(404);

    const declined = await winner.post(formOf(page.text).action, formOf(page.text).hidden);
    expect(declined.status).toBe(303);
    expect((await winner.get(`/messages/${giveawayId}`)).text).toContain("The winner declined the prize.");
    // Declined: nothing left to decline.
    expect((await winner.get(`/messages/${giveawayId}/decline`)).status).toBe(409);
  });

  it("Redraw: before the no-show time the giver's page says from when; after it, a form that posts to /redraw", async () => {
    const { giveawayId, giver, winner, outsider, accounts } = await stage();
    const drawnAt = clock.now().getTime();
    const early = await giver.get(`/messages/${giveawayId}/redraw`);
    expect(early.status).toBe(200);
    expect(early.text).toContain("Redraw possible from");
    const at = /id="redraw-later">Redraw possible from <time datetime="([^"]+)">/.exec(early.text)?.[1];
    expect(Math.abs(Date.parse(at!) - (drawnAt + 48 * hour))).toBeLessThan(60_000);
    expect(early.text).not.toContain('class="confirm-form"');
    // The chat's menu says the same, and offers no Redraw button yet.
    const chat = await giver.get(`/messages/${giveawayId}`);
    expect(chat.text).toContain("Redraw possible from");
    expect(chat.text).not.toContain('id="redraw-button"');

    await expectRefusedLikeTheChat([outsider], giveawayId, `/messages/${giveawayId}/redraw`);
    expect((await winner.get(`/messages/${giveawayId}/redraw`)).status).toBe(403);

    clock.advance(49 * hour);
    const page = await giver.get(`/messages/${giveawayId}/redraw`);
    expect(page.status).toBe(200);
    const form = formOf(page.text);
    expect(form).toEqual({ action: `/messages/${giveawayId}/redraw`, hidden: { replacing: accounts.entrants[0]!.id } });
    expect((await giver.post(form.action, form.hidden)).status).toBe(303);
    expect(server.handoff.queries.giveawayById(giveawayId)?.winnerId).toBe(accounts.entrants[1]!.id);
  });

  it("Cancel the giveaway: the giver's page asks for a reason and posts to /cancel", async () => {
    const { giveawayId, giver, winner, outsider } = await stage();
    const page = await giver.get(`/messages/${giveawayId}/cancel`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Cancel the giveaway?");
    expect(page.text).toContain('name="reason"');
    expect(formOf(page.text).action).toBe(`/messages/${giveawayId}/cancel`);
    expect(server.handoff.queries.giveawayById(giveawayId)?.status).toBe("drawn");
    await expectRefusedLikeTheChat([outsider], giveawayId, `/messages/${giveawayId}/cancel`);
    expect((await winner.get(`/messages/${giveawayId}/cancel`)).status).toBe(403);
    expect((await giver.post(`/messages/${giveawayId}/cancel`, { reason: "Sold elsewhere" })).status).toBe(303);
    expect(server.handoff.queries.giveawayById(giveawayId)?.status).toBe("cancelled");
  });

  it("Remove a message: its sender's page posts to /retract with the message; the other person and strangers are refused", async () => {
    const { giveawayId, giver, winner, outsider, accounts } = await stage();
    const sent = await send(server, accounts.entrants[0]!, giveawayId, "My number is 555 0100");
    const messageId = sent.id;
    const chat = await winner.get(`/messages/${giveawayId}`);
    expect(chat.text).toContain(`<form class="retract-form message-tool" method="get" action="/messages/${giveawayId}/retract">`);

    const path = `/messages/${giveawayId}/retract?messageId=${messageId}`;
    const page = await winner.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Remove this message?");
    expect(formOf(page.text)).toEqual({ action: `/messages/${giveawayId}/retract`, hidden: { messageId } });
    expect(server.handoff.queries.messageById(giveawayId, messageId)?.retractedAt).toBeNull();

    expect((await giver.get(path)).status).toBe(403); // not hers
    await expectRefusedLikeTheChat([outsider], giveawayId, path);
    expect((await winner.get(`/messages/${giveawayId}/retract?messageId=${randomUUID()}`)).status).toBe(404);
    expect((await winner.get(`/messages/${giveawayId}/retract`)).status).toBe(404);

    expect((await winner.post(`/messages/${giveawayId}/retract`, { messageId })).status).toBe(303);
    expect(server.handoff.queries.messageById(giveawayId, messageId)?.retractedAt).not.toBeNull();
    expect((await winner.get(path)).status).toBe(409);
  });

  it("the pickup sheet as a page: the proposal form for both people, nobody else", async () => {
    const { giveawayId, giver, winner, outsider } = await stage();
    for (const person of [giver, winner]) {
      const page = await person.get(`/messages/${giveawayId}/pickup/proposals`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<form method="post" action="/messages/${giveawayId}/pickup/proposals" id="pickup-form"`);
    }
    expect((await winner.get(`/messages/${giveawayId}`)).text).toMatch(new RegExp(`id="pickup-open" href="/messages/${giveawayId}/pickup/proposals"`));
    await expectRefusedLikeTheChat([outsider], giveawayId, `/messages/${giveawayId}/pickup/proposals`);
  });
});

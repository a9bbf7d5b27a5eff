// The audit page: the conversation as it stood at a revision or a time, stepped one event at a
// time, for the giver and the winner only, with everything stored shown as text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../src/app/userAccounts.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { conversationWithMoments, type Conversation } from "./auditFixtures.ts";
import { tokenFor } from "../http/apiFixtures.ts";

let server: TestServer;
let conversation: Conversation & { loser: Account };

beforeAll(async () => {
  server = await startTestServer();
  conversation = await conversationWithMoments(server.handoff, { giver: "gina", winner: "walt", loser: "lou" });
});

afterAll(async () => {
  await server?.close();
});

const auditPath = (query = "") => `/giveaways/${conversation.giveawayId}/audit${query}`;

function page(path: string, account?: Account) {
  const cookie = account ? `handoff_session=${tokenFor(server.handoff.config.jwtSecret!, account).token}` : "";
  return fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
}

/** The revisions of the lines shown, and the one marked current. */
function shownRevisions(html: string) {
  const revisions = [...html.matchAll(/data-revision="(\d+)"/g)].map((m) => Number(m[1]));
  const current = /class="[a-z]+ current" id="revision-(\d+)"/.exec(html)?.[1];
  return { revisions, current: current === undefined ? undefined : Number(current) };
}

describe("the audit page", () => {
  it("sends a visitor without a session to sign in, and back here after", async () => {
    const response = await page(auditPath("?revision=3"));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/signin?next=${encodeURIComponent(auditPath("?revision=3"))}`);
  });

  it("tells an entrant who did not win that it is not theirs (403), and an unknown giveaway is 404", async () => {
    const refused = await page(auditPath(), conversation.loser);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await refused.text()).toContain("Only the giver and the winner can see this audit");
    const missing = await page("/giveaways/0b6f4c1e-8a52-4f0e-9a3d-2b7c1d9e4f01/audit", conversation.giver);
    expect(missing.status).toBe(404);
  });

  it("shows every event up to the chosen revision: who, when, the event id, and the type of non-message events", async () => {
    const moment = conversation.moments[2]!; // after "<img ...>" at revision 7
    const response = await page(auditPath(`?revision=${moment.revision}`), conversation.winner);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(shownRevisions(html)).toEqual({ revisions: [0, 1, 2, 3, 4, 5, 6, 7], current: 7 });
    const stored = await server.handoff.store.readStream(`giveaway-${conversation.giveawayId}`);
    for (const event of stored.slice(0, 8)) {
      expect(html).toContain(event.id);
      expect(html).toContain(event.created.toISOString());
    }
    expect(html).not.toContain(stored[8]!.id);
    for (const type of ["GiveawayCreated", "EntrySubmitted", "DrawConducted", "ConversationRead"]) expect(html).toContain(type);
    expect(html).toContain("drew the winner: walt");
    // The winner is not told who else entered (auditRedaction.test.ts).
    for (const name of ["gina", "walt", "someone else"]) expect(html).toContain(`<span class="who">${name}</span>`);
    expect(html).not.toContain(">lou<");
    expect(html).toContain("Congratulations! When can you pick it up?");
    expect(html).not.toContain("Saturday works.");
  });

  it("escapes everything stored: a hostile message and title show as text", async () => {
    const response = await page(auditPath(), conversation.giver);
    const html = await response.text();
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img");
    expect(html).toContain("A &lt;b&gt;bike&lt;/b&gt; &amp; a helmet");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("steps one event at a time with previous and next links (the technical view)", async () => {
    const html = await (await page(auditPath("?view=technical&revision=5"), conversation.giver)).text();
    expect(html).toContain(`href="${auditPath("?view=technical&amp;revision=4")}"`);
    expect(html).toContain(`href="${auditPath("?view=technical&amp;revision=6")}"`);
    const next = await (await page(auditPath("?revision=6"), conversation.giver)).text();
    expect(shownRevisions(next).current).toBe(6);
    const first = await (await page(auditPath("?view=technical&revision=0"), conversation.giver)).text();
    expect(first).toContain('rel="next"');
    expect(first).not.toContain('rel="prev"');
    expect(shownRevisions(first).revisions).toEqual([0]);
    const latest = await (await page(auditPath(), conversation.giver)).text();
    expect(shownRevisions(latest)).toEqual({ revisions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], current: 9 });
    expect(latest).not.toContain('rel="next"');
  });

  it("shows the conversation as it stood at a time", async () => {
    for (const moment of conversation.moments) {
      const html = await (await page(auditPath(`?time=${encodeURIComponent(moment.time.toISOString())}`), conversation.giver)).text();
      expect(shownRevisions(html).current).toBe(moment.revision);
      const shownMessages = [...html.matchAll(/<span class="content">/g)].length;
      expect(shownMessages).toBe(moment.messages.length);
    }
    const early = await (await page(auditPath("?time=2000-01-01T00:00"), conversation.giver)).text();
    expect(early).toContain("Nothing had happened yet");
    expect(shownRevisions(early).revisions).toEqual([]);
  });

  it("answers a bad revision or time with a readable 422", async () => {
    for (const [query, sentence] of [
      ["?revision=abc", "A revision is a whole number"],
      ["?time=yesterday", "A time is an ISO 8601 date-time"],
      ["?revision=2&time=2024-05-01T12:00:00Z", "not both"],
    ] as const) {
      const response = await page(auditPath(query), conversation.giver);
      expect(response.status).toBe(422);
      expect(await response.text()).toContain(sentence);
    }
  });
});

// The audit for people (issue 27): the giveaway's history in plain words, in the reader's own time,
// with what was edited or removed, under the same privacy rule as the technical view, which is one
// click away; and its entry point on the giveaway and chat pages is a quiet "History" link.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { callApi, signUp, type SignedInUser } from "../http/apiFixtures.ts";
import { openPerson } from "./chatInBrowser.ts";

describe.skipIf(browserTestsSkipped)("browser: the audit as a history in plain words", () => {
  let server: TestServer;
  let person: BrowserPerson;
  let page: Page;
  let ann: SignedInUser, winner: SignedInUser, loser: SignedInUser;
  let giveawayId: string;
  const removedText = "My address is 12 Wrong Street";

  const api = (user: SignedInUser, method: string, path: string, body?: unknown) => callApi(server.url, user, method, path, body);
  const as = async (user: SignedInUser) => {
    await person.context.clearCookies();
    await person.context.addCookies([{ name: "handoff_session", value: user.token, url: server.url }]);
  };
  const historyPath = () => `/giveaways/${giveawayId}/audit`;
  /** What the history shows a person (rendered text only: what is hidden is not read). */
  const shownHistory = () => page.locator("ol.audit").innerText();

  beforeAll(async () => {
    server = await startTestServer();
    person = await openPerson({ timezoneId: "Pacific/Auckland" });
    page = await person.context.newPage();
    const [a, b, c] = await Promise.all([signUp(server, "ann"), signUp(server, "bob"), signUp(server, "cara")]);
    ann = a!;
    giveawayId = (await api(ann, "POST", "/giveaways", { title: "A desk chair" })).id as string;
    await api(b!, "POST", `/giveaways/${giveawayId}/entries`);
    await api(c!, "POST", `/giveaways/${giveawayId}/entries`);
    const drawn = await api(ann, "POST", `/giveaways/${giveawayId}/draw`);
    [winner, loser] = drawn.winnerId === b!.id ? [b!, c!] : [c!, b!];
    await api(ann, "POST", `/giveaways/${giveawayId}/messages`, { content: "Hi, the chair is yours!" });
    const typo = await api(winner, "POST", `/giveaways/${giveawayId}/messages`, { content: "Saturday mornig?" });
    await api(winner, "PATCH", `/giveaways/${giveawayId}/messages/${typo.id}`, { content: "Saturday morning?" });
    await api(winner, "POST", `/giveaways/${giveawayId}/read`, { revision: 4 }); // a read mark: bookkeeping, technical view only
    const wrong = await api(ann, "POST", `/giveaways/${giveawayId}/messages`, { content: removedText });
    await api(ann, "DELETE", `/giveaways/${giveawayId}/messages/${wrong.id}`);
    const from = new Date("2030-03-09T09:00:00.000Z"); // 22:00 in Auckland (NZDT, UTC+13)
    await api(ann, "POST", `/giveaways/${giveawayId}/pickup/proposals`, { id: "7d1f9a56-2f0e-4a55-9a57-3b1f7b0c0a01", from: from.toISOString(), to: new Date(from.getTime() + 3_600_000).toISOString(), place: "the station" });
    await api(winner, "POST", `/giveaways/${giveawayId}/pickup/proposals/7d1f9a56-2f0e-4a55-9a57-3b1f7b0c0a01/accept`);
  }, 60_000);

  afterAll(async () => {
    await person?.close();
    await server?.close();
  });

  it("tells the winner who did what, in words, in their own time zone, and keeps from them what the rule keeps", async () => {
    await as(winner);
    await page.goto(`${server.url}${historyPath()}`);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.locator("h1").innerText()).toBe("History: A desk chair");
    const shown = await shownHistory();
    for (const sentence of [
      `${ann.username} gave away “A desk chair”`,
      `${winner.username} entered the giveaway`,
      "Someone else entered the giveaway", // the other entrant is not named to the winner
      `${ann.username} drew ${winner.username} as the winner`,
      `${ann.username} sent a message`,
      "Hi, the chair is yours!",
      `${winner.username} edited a message`,
      "Before: “Saturday mornig?”",
      "This message was removed later, so its text is not shown.",
      `${ann.username} removed a message`,
      `${ann.username} proposed a pickup for`,
      "at “the station”",
      `${winner.username} accepted the pickup: the plan is agreed`,
    ]) {
      expect(shown).toContain(sentence);
    }
    expect(shown).not.toContain(loser.username);
    expect(await page.content()).not.toContain("Wrong Street");
    // Not the developer's view: no event names, ids or read marks on the line.
    expect(shown).not.toMatch(/MessageSent|EntrySubmitted|PickupProposed|ConversationRead|read the conversation|#\d/);
    expect(shown).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    // The pickup in the reader's zone (Auckland), its end as a clock on the same day.
    expect(shown).toContain("proposed a pickup for Sat 9 Mar 2030, 22:00 – 23:00 at “the station”");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it("shows the sender what they removed, and the giver everyone's name", async () => {
    await as(ann);
    await page.goto(`${server.url}${historyPath()}`);
    const shown = await shownHistory();
    expect(shown).toMatch(new RegExp(`${ann.username} removed a message\\n[^\\n]+\\nIt said: “${removedText}”`));
    expect(shown).toContain(`${loser.username} entered the giveaway`);
  });

  it("says UTC without script, and keeps the technical view one click away", async () => {
    const html = await (await fetch(`${server.url}${historyPath()}`, { headers: { cookie: `handoff_session=${winner.token}` } })).text();
    expect(html).toMatch(/<time datetime="[^"]+">Today \d\d:\d\d UTC<\/time>/);

    await as(winner);
    await page.goto(`${server.url}${historyPath()}`);
    await Promise.all([page.waitForURL(/view=technical/), page.locator("#technical-view").click()]);
    const technical = await shownHistory();
    for (const word of ["MessageSent", "MessageRetracted", "PickupProposed", "ConversationRead"]) expect(technical).toContain(word);
    expect(technical).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(await page.locator("#revision").isVisible()).toBe(true);
    expect(await page.locator("#time").isVisible()).toBe(true);
    await Promise.all([page.waitForURL(`${server.url}${historyPath()}`), page.locator("#people-view").click()]);
  });

  it("is a quiet History link on the giveaway page and the chat, not a button", async () => {
    await as(winner);
    for (const path of [`/giveaways/${giveawayId}`, `/messages/${giveawayId}`]) {
      await page.goto(`${server.url}${path}`);
      const link = page.locator("a#open-audit");
      expect(await link.innerText(), path).toBe("History");
      expect((await link.getAttribute("class")) ?? "", path).not.toMatch(/button/);
      expect(await link.getAttribute("href")).toBe(historyPath());
    }
  });
});

// axe-core (WCAG 2.1 A and AA, and best practice) in Chromium on every page a person meets, at a
// phone's 390 x 844 and a desktop's 1280 x 800: signed out, as giver, winner, another entrant,
// former winner after a redraw, in a cancelled giveaway, a moderator, and the chat framed for the
// platform. The stage is set through the API; one browser walks the pages, changing whose session it carries.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startFakePlatform, type FakePlatform } from "../support/fakePlatform.ts";
import { onePixelPng } from "../support/sampleFiles.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { callApi, signUp, type SignedInUser } from "../http/apiFixtures.ts";
import { openPerson } from "./chatInBrowser.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const viewports = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Each violation as one line a person can act on: the rule, what it asks, where, and why it failed there. */
function readable(violations: AxeViolation[]): string[] {
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${violation.help} at ${JSON.stringify(node.target)}: ${(node.failureSummary ?? "").replace(/\s+/g, " ").trim()}`),
  );
}

/** axe on the page as it stands, at each viewport (evaluated over CDP, which the pages' CSP does not govern). */
async function violationsOn(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const viewport of viewports) {
    await page.setViewportSize(viewport);
    if (!(await page.evaluate("typeof window.axe !== 'undefined'"))) await page.evaluate(axeSource);
    const results = (await page.evaluate(`axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }).then((r) => ({ violations: r.violations, incomplete: r.incomplete }))`)) as { violations: AxeViolation[]; incomplete: AxeViolation[] };
    found.push(...readable(results.violations).map((line) => `${viewport.width} px: ${line}`));
    // "Needs review" counts for the ARIA rules (an attribute an element may not carry is one); for
    // colour it mostly means a symbol or a picture axe cannot measure, so those stay out.
    const ariaReviews = results.incomplete.filter((result) => result.id.startsWith("aria-"));
    found.push(...readable(ariaReviews).map((line) => `${viewport.width} px, needs review: ${line}`));
  }
  return found;
}

describe.skipIf(browserTestsSkipped)("accessibility: axe finds nothing on any page, on a phone and a desktop", { timeout: 60_000 }, () => {
  let server: TestServer;
  let platform: FakePlatform;
  let person: BrowserPerson;
  let page: Page;
  let ann: SignedInUser, bob: SignedInUser, cara: SignedInUser, dan: SignedInUser, moe: SignedInUser;
  /** The chair: ann gives, bob wins; they talk, plan the pickup, edit, remove, react; bob reports. */
  let chair: string;
  /** The lamp: bob and cara enter, the first winner declines and the giver redraws. */
  let lamp: { id: string; former: SignedInUser; winner: SignedInUser };
  /** The bookshelf: dan wins, then ann cancels. */
  let shelf: string;
  /** Still open for entries. */
  let rug: string;
  let embedded: string;

  const as = (user: SignedInUser | undefined) => async () => {
    await person.context.clearCookies();
    if (user) await person.context.addCookies([{ name: "handoff_session", value: user.token, url: server.url }]);
  };
  const api = (user: SignedInUser, method: string, path: string, body?: unknown) => callApi(server.url, user, method, path, body);

  beforeAll(async () => {
    platform = await startFakePlatform();
    server = await startTestServer({ env: { ...platform.env, EMBED_ORIGINS: "http://localhost:9" } });
    person = await openPerson();
    page = await person.context.newPage();
    [ann, bob, cara, dan, moe] = (await Promise.all(["ann", "bob", "cara", "dan", "moe"].map((name) => signUp(server, name)))) as [SignedInUser, SignedInUser, SignedInUser, SignedInUser, SignedInUser];
    expect(await server.handoff.moderation.setModerator(moe.id, true, { actorId: "operator", correlationId: "a11y", causationId: "a11y" })).toEqual({ ok: true, appended: 1 });
    await vi.waitFor(() => expect(server.handoff.queries.isModerator(moe.id)).toBe(true));

    chair = (await api(ann, "POST", "/giveaways", { title: "A desk chair" })).id as string;
    const photo = await fetch(`${server.url}/api/giveaways/${chair}/photos`, { method: "POST", headers: { Authorization: `Bearer ${ann.token}`, "Content-Type": "image/png" }, body: new Uint8Array(onePixelPng()) });
    expect(photo.status).toBe(201);
    await api(bob, "POST", `/giveaways/${chair}/entries`);
    await api(ann, "POST", `/giveaways/${chair}/draw`);
    const hello = await api(ann, "POST", `/giveaways/${chair}/messages`, { content: "Hi bob, the chair is yours!" });
    const oops = await api(bob, "POST", `/giveaways/${chair}/messages`, { content: "Great, thanks! Saturday mornig?" });
    await api(bob, "PATCH", `/giveaways/${chair}/messages/${oops.id}`, { content: "Great, thanks! Saturday morning?" });
    const wrong = await api(ann, "POST", `/giveaways/${chair}/messages`, { content: "My address is on the wrong street" });
    await api(ann, "DELETE", `/giveaways/${chair}/messages/${wrong.id}`);
    await api(bob, "PUT", `/giveaways/${chair}/messages/${hello.id}/reactions/${encodeURIComponent("👍")}`);
    const from = new Date(Date.now() + 2 * 86_400_000);
    await api(ann, "POST", `/giveaways/${chair}/pickup/proposals`, { from: from.toISOString(), to: new Date(from.getTime() + 3_600_000).toISOString(), place: "the station", note: "by the clock" });
    await api(bob, "POST", `/giveaways/${chair}/reports`, { reason: "other", note: "just checking the queue" });

    const lampId = (await api(ann, "POST", "/giveaways", { title: "A reading lamp" })).id as string;
    await api(bob, "POST", `/giveaways/${lampId}/entries`);
    await api(cara, "POST", `/giveaways/${lampId}/entries`);
    const drawn = await api(ann, "POST", `/giveaways/${lampId}/draw`);
    const former = drawn.winnerId === bob.id ? bob : cara;
    await api(former, "POST", `/giveaways/${lampId}/messages`, { content: "Thanks, but I can't come after all." });
    await api(former, "POST", `/giveaways/${lampId}/decline`);
    await api(ann, "POST", `/giveaways/${lampId}/redraw`);
    lamp = { id: lampId, former, winner: former === bob ? cara : bob };

    shelf = (await api(ann, "POST", "/giveaways", { title: "A bookshelf" })).id as string;
    await api(dan, "POST", `/giveaways/${shelf}/entries`);
    await api(ann, "POST", `/giveaways/${shelf}/draw`);
    await api(ann, "POST", `/giveaways/${shelf}/cancel`, { reason: "It broke while moving" });

    rug = (await api(ann, "POST", "/giveaways", { title: "A small rug" })).id as string;
    await api(cara, "POST", `/giveaways/${rug}/entries`);

    // The platform's people, for the chat framed in its pages.
    const platformApi = async (sub: string, method: string, path: string) => {
      const token = await platform.sign({ sub, name: sub });
      const response = await fetch(`${server.url}/api${path}`, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: method === "POST" && path === "/giveaways" ? JSON.stringify({ title: "A kettle" }) : undefined });
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id?: string };
    };
    embedded = (await platformApi("plat-gil", "POST", "/giveaways")).id!;
    await platformApi("plat-hal", "POST", `/giveaways/${embedded}/entries`);
    await platformApi("plat-gil", "POST", `/giveaways/${embedded}/draw`);
  }, 60_000);

  afterAll(async () => {
    await person?.close();
    await server?.close();
    await platform?.close();
  });

  /** Opens `path` as `user` (undefined: signed out), expecting `status`, and runs axe there. */
  async function check(user: SignedInUser | undefined, path: string, status = 200, ready?: string): Promise<void> {
    await as(user)();
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.status(), path).toBe(status);
    if (ready) await page.locator(ready).first().waitFor({ state: "attached" });
    expect(await violationsOn(page), path).toEqual([]);
  }

  it("signed out: the landing page, sign in, register", async () => {
    await check(undefined, "/");
    await check(undefined, "/signin");
    await check(undefined, "/register");
  });

  it("the giveaways list and a giveaway page as its giver, open and drawn", async () => {
    await check(ann, "/giveaways");
    await check(ann, `/giveaways/${rug}`);
    await check(ann, `/giveaways/${chair}`);
  });

  it("a giveaway page as its winner, as an entrant who did not win, and as a former winner", async () => {
    await check(bob, `/giveaways/${chair}`);
    await check(cara, `/giveaways/${rug}`);
    await check(lamp.former, `/giveaways/${lamp.id}`);
  });

  it("the chat, as the giver and as the winner", async () => {
    await check(ann, `/messages/${chair}`, 200, "#messages .message");
    await check(bob, `/messages/${chair}`, 200, "#messages .message");
  });

  it("the chat of a former winner after a redraw, of the giver after it, and of a cancelled giveaway", async () => {
    await check(lamp.former, `/messages/${lamp.id}`, 200, "#messages");
    await check(ann, `/messages/${lamp.id}`, 200, "#messages");
    await check(dan, `/messages/${shelf}`, 200, "#messages");
  });

  it("the inbox of the giver and of the new winner", async () => {
    await check(ann, "/inbox");
    await check(lamp.winner, "/inbox");
  });

  it("the audit page, in plain words and in its technical view, and its refusal", async () => {
    await check(bob, `/giveaways/${chair}/audit`, 200, "ol.audit li");
    await check(ann, `/giveaways/${chair}/audit?view=technical`, 200, "ol.audit li");
    await check(lamp.former, `/giveaways/${lamp.id}/audit`, 200, "ol.audit li");
    await check(cara, `/giveaways/${chair}/audit`, 403);
  });

  it("a profile, the report and block pages, the moderation queue", async () => {
    await check(ann, `/users/${bob.id}`);
    await check(ann, `/messages/${chair}/report`);
    await check(ann, `/messages/${chair}/block`);
    await check(moe, "/moderation", 200, ".moderation-report");
  });

  it("the pickup sheet (its page, and the dialog open in the chat), the confirmation pages, a redraw not possible yet", async () => {
    await check(bob, `/messages/${chair}/pickup/proposals`); // ann's proposal waits for bob's answer
    await check(bob, `/messages/${chair}/decline`);
    await check(ann, `/messages/${chair}/cancel`);
    await check(ann, `/messages/${chair}/redraw`); // drawn just now: "Redraw possible from …"
    await check(bob, `/messages/${chair}`, 200, "#pickup-open");
    await page.locator("#pickup-open").click();
    await page.locator("#pickup-sheet[open]").waitFor();
    expect(await violationsOn(page), "the chat with the pickup sheet open").toEqual([]);
  });

  it("the chat while the connection is lost", async () => {
    await check(ann, `/messages/${chair}`, 200, '#connection-status[data-state="connected"]');
    await person.context.setOffline(true);
    try {
      await page.locator('#connection-status[data-state="connecting"]').waitFor();
      expect(await violationsOn(page), "the chat offline").toEqual([]);
    } finally {
      await person.context.setOffline(false);
    }
    // Back: let the chat finish reconnecting before the next test navigates away from it.
    await page.locator('#connection-status[data-state="connected"]').waitFor();
    await page.goto("about:blank");
  });

  it("a refusal: a giveaway that does not exist", async () => {
    await check(ann, "/giveaways/00000000-0000-4000-8000-000000000000", 404);
  });

  it("the chat framed for the platform", async () => {
    await as(undefined)();
    const token = await platform.sign({ sub: "plat-hal", name: "plat-hal" });
    await check(undefined, `/embed/giveaways/${embedded}/chat?token=${encodeURIComponent(token)}`, 200, "#message-form");
  });
});

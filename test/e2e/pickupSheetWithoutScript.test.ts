// The pickup on a phone without JavaScript (issue 27): the sheet's button leads to a page with the
// proposal form, "More" is a details menu, and Decline asks on a page whose Cancel changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";
import { openPerson, register, sessionToken } from "./chatInBrowser.ts";
import { nextYear } from "./pickupInBrowser.ts";

const phone = { width: 390, height: 844 };

describe.skipIf(browserTestsSkipped)("browser: the pickup sheet and the confirmations without JavaScript", () => {
  let server: TestServer;
  let noScript: BrowserPerson | undefined;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await noScript?.close();
    await server?.close();
  });

  it("without JavaScript the same buttons lead to pages: the sheet's form, and the question before Decline", { timeout: 40_000 }, async () => {
    const url = server.url;
    noScript = await openPerson({ javaScriptEnabled: false, viewport: phone });
    const eve = await register(noScript, url, "eve");
    const call = async (token: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}/api${path}`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}) });
      expect(response.ok, `${path}: ${response.status}`).toBe(true);
      return response.json();
    };
    const dan = await (await fetch(`${url}/api/users`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username: "dan", password: "correct horse battery" }) })).json();
    expect(dan.id).toBeTruthy();
    const danToken = (await (await fetch(`${url}/api/tokens`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username: "dan", password: "correct horse battery" }) })).json()).token;
    const eveToken = await sessionToken(noScript);
    const giveawayId = (await call(danToken, "/giveaways", { title: "A kettle", description: "" })).id;
    await call(eveToken, `/giveaways/${giveawayId}/entries`);
    await call(danToken, `/giveaways/${giveawayId}/draw`);

    await eve.goto(`${url}/messages/${giveawayId}`);
    await Promise.all([eve.waitForURL(/\/pickup\/proposals$/), eve.click("#pickup-open")]);
    await eve.fill("#pickup-from", nextYear(7, 1, 9));
    await eve.fill("#pickup-to", nextYear(7, 1, 10));
    await eve.fill("#pickup-place", "Library steps");
    await Promise.all([eve.waitForURL(/#pickup-panel$/), eve.click("#propose-button")]);
    await eve.locator("#messages .pickup-card", { hasText: "Library steps" }).waitFor();

    // "More" is a details menu; Decline opens the question; its Cancel goes back with nothing changed.
    await eve.click("#pickup-more summary");
    await Promise.all([eve.waitForURL(/\/decline$/), eve.click("#decline-prize")]);
    expect(await eve.locator("h1").innerText()).toBe("Decline the prize?");
    await Promise.all([eve.waitForURL(/#pickup-panel$/), eve.click(".confirm-dismiss")]);
    expect(await eve.locator(".pickup-declined").count()).toBe(0);
    await eve.click("#pickup-more summary");
    await Promise.all([eve.waitForURL(/\/decline$/), eve.click("#decline-prize")]);
    await Promise.all([eve.waitForURL(/#pickup-panel$/), eve.click("#confirm-decline")]);
    await eve.locator(".pickup-declined").waitFor();
  });
});

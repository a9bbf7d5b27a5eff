import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsSkipped, openBrowserPerson, type BrowserPerson } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/testServer.ts";

// Skipped only by an explicit SKIP_BROWSER_TESTS=1, which the summary line reports.
describe.skipIf(browserTestsSkipped)("browser: Chromium reaches a real server", () => {
  let server: TestServer;
  let person: BrowserPerson;
  beforeAll(async () => {
    server = await startTestServer();
    person = await openBrowserPerson();
  });
  afterAll(async () => {
    await person?.close();
    await server?.close();
  });

  it("loads the health endpoint over loopback", async () => {
    const page = await person.context.newPage();
    const response = await page.goto(`${server.url}/healthz`);
    expect(response?.status()).toBe(200);
    expect(await page.textContent("body")).toContain('"status":"ok"');
  });
});
